import type { MatchCheck, Matcher } from '../plan/schema.js';
import { describeMatcher, MATCHES_KEPT, scanMatches, type MatchScan } from './matches.js';
import type { CheckContext, CheckKind, CheckOutcome } from './types.js';

/** forbid / require / count: three verdicts over the same matching lines. */
type Verdict = (count: number, check: MatchCheck) => { passed: boolean; summary: string };

function matchCheck(key: 'forbid' | 'require' | 'count', verdict: Verdict): CheckKind<MatchCheck> {
  const matcherOf = (check: MatchCheck) => check[key] as Matcher;
  const scan = (check: MatchCheck, context: CheckContext) => scanMatches(matcherOf(check), check, context);
  return {
    describe: (check) => `${key} ${describeMatcher(matcherOf(check))}${key === 'count' ? bounds(check) : ''}`,
    async run(check, context): Promise<CheckOutcome> {
      const found = await scan(check, context);
      const { passed, summary } = verdict(found.matches.length, check);
      const unread = unreadFiles(found);
      return {
        passed,
        summary: [summary, ...unread.map((note) => note.short)].join(' · '),
        details: { matches: found.matches.slice(0, MATCHES_KEPT), matchCount: found.matches.length, ...(unread.length ? { notes: unread.map((note) => note.long) } : {}) },
      };
    },
    scan,
  };
}

/**
 * A check sees every file in its scope or says which it did not read as text: files that are not
 * UTF-8 are matched as Latin-1 (said in the summary), binary files are skipped (listed).
 */
const LISTED = 20;

function unreadFiles(found: MatchScan): { short: string; long: string }[] {
  const notes: { short: string; long: string }[] = [];
  const list = (files: string[]) => `${files.slice(0, LISTED).join(', ')}${files.length > LISTED ? `, … (${files.length - LISTED} more)` : ''}`;
  if (found.latin1.length) {
    const short = `${files(found.latin1.length)} read as Latin-1 (not UTF-8)`;
    notes.push({ short, long: `${short}: ${list(found.latin1)}` });
  }
  if (found.binary.length) {
    const short = `skipped ${found.binary.length} binary file${found.binary.length === 1 ? '' : 's'}`;
    notes.push({ short, long: `${short}: ${list(found.binary)}` });
  }
  return notes;
}

const files = (count: number) => `${count} file${count === 1 ? '' : 's'}`;
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
