import type { MatchCheck, Matcher } from '../plan/schema.js';
import { describeMatcher, findMatches, MATCHES_KEPT } from './matches.js';
import type { CheckContext, CheckKind, CheckOutcome, Match } from './types.js';

/** forbid / require / count: three verdicts over the same matching lines. */
type Verdict = (count: number, check: MatchCheck) => { passed: boolean; summary: string };

function matchCheck(key: 'forbid' | 'require' | 'count', verdict: Verdict): CheckKind<MatchCheck> {
  const matcherOf = (check: MatchCheck) => check[key] as Matcher;
  const lines = (check: MatchCheck, context: CheckContext) => findMatches(matcherOf(check), check, context);
  return {
    describe: (check) => `${key} ${describeMatcher(matcherOf(check))}${key === 'count' ? bounds(check) : ''}`,
    async run(check, context): Promise<CheckOutcome> {
      const matches: Match[] = await lines(check, context);
      const { passed, summary } = verdict(matches.length, check);
      return { passed, summary, details: { matches: matches.slice(0, MATCHES_KEPT), matchCount: matches.length } };
    },
    async count(check, context) {
      return (await lines(check, context)).length;
    },
  };
}

const plural = (count: number) => `${count} matching line${count === 1 ? '' : 's'}`;

function bounds(check: MatchCheck): string {
  if (check.min !== undefined && check.max !== undefined) return ` in ${check.min}..${check.max}`;
  if (check.min === undefined && check.max === undefined) return check.ratchet ? ' (ratchet)' : '';
  return check.min !== undefined ? ` ≥ ${check.min}` : ` ≤ ${check.max}`;
}

export const forbid = matchCheck('forbid', (count) => ({ passed: count === 0, summary: count === 0 ? 'no matches' : `${plural(count)} (forbidden)` }));

export const require = matchCheck('require', (count) => ({ passed: count > 0, summary: count > 0 ? plural(count) : 'no match (required)' }));

export const count = matchCheck('count', (found, check) => {
  const passed = (check.min === undefined || found >= check.min) && (check.max === undefined || found <= check.max);
  return { passed, summary: `${plural(found)}${passed ? '' : ` (expected${bounds(check)})`}` };
});
