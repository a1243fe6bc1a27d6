import type { Problem } from './explain-issues.js';
import { canonicalLanguage, STRICTNESS } from './languages.js';

/**
 * Checks of ast-grep patterns and rules (issue 4): loaded only when a plan has a `codemod` step or a
 * structural check, so plans without them never load the parser. They read the raw YAML
 * defensively, like rules.ts, so pattern problems are reported alongside the schema's; an entry
 * whose language or shape the schema already rejects is left to the schema's message.
 */
type Entry = Record<string, unknown>;
const MATCH_KEYS = ['forbid', 'require', 'count'] as const;

export async function structuralProblems(plan: unknown): Promise<Problem[]> {
  const [{ matcherProblems }, { specOfCheck, specOfStep }] = await Promise.all([
    import('../structural/validate.js'), import('../structural/matcher.js'),
  ]);
  const problems: Problem[] = [];
  for (const { entry, path } of codemodSteps(plan)) {
    if (!shapedLike(entry, 'codemod') || (entry.fix !== undefined && typeof entry.fix !== 'string')) continue;
    for (const problem of matcherProblems(specOfStep(entry as never), entry.fix as string | undefined)) {
      // The pattern form is the `codemod:` string itself; a rule's parts sit under `codemod:`.
      const inner = problem.path[0] === 'fix' ? problem.path : problem.path[0] === 'pattern' ? ['codemod'] : ['codemod', ...problem.path];
      problems.push({ path: [...path, ...inner], message: problem.message });
    }
  }
  for (const { entry, path, key } of structuralChecks(plan)) {
    const matcher = entry[key] as Entry;
    if (!shapedLike(matcher, 'pattern')) continue;
    for (const problem of matcherProblems(specOfCheck(matcher as never))) {
      problems.push({ path: [...path, key, ...problem.path], message: problem.message });
    }
  }
  return problems;
}

export function usesStructural(plan: unknown): boolean {
  return codemodSteps(plan).length > 0 || structuralChecks(plan).length > 0;
}

/** Enough of the shape to hand to ast-grep: a known language, a pattern string or a rule object. */
function shapedLike(entry: Entry, patternKey: 'codemod' | 'pattern'): boolean {
  if (typeof entry.language !== 'string' || !canonicalLanguage(entry.language)) return false;
  if (entry.strictness !== undefined && !(STRICTNESS as readonly unknown[]).includes(entry.strictness)) return false;
  const source = entry[patternKey];
  const rule = patternKey === 'codemod' ? (isObject(source) ? source.rule : undefined) : entry.rule;
  if (typeof source === 'string') return source.length > 0 && (patternKey === 'codemod' || rule === undefined);
  return isObject(rule) && (patternKey === 'codemod' || source === undefined);
}

function codemodSteps(plan: unknown): { entry: Entry; path: (string | number)[] }[] {
  return phasesOf(plan).flatMap((phase, phaseIndex) =>
    listOf(phase.transform).flatMap((entry, index) => ('codemod' in entry ? [{ entry, path: ['phases', phaseIndex, 'transform', index] }] : [])));
}

function structuralChecks(plan: unknown): { entry: Entry; path: (string | number)[]; key: (typeof MATCH_KEYS)[number] }[] {
  const lists: { entries: Entry[]; base: (string | number)[] }[] = [
    ...phasesOf(plan).map((phase, index) => ({ entries: listOf(phase.validate), base: ['phases', index, 'validate'] })),
    { entries: listOf(isObject(plan) ? plan.preflight : undefined), base: ['preflight'] },
  ];
  return lists.flatMap(({ entries, base }) => entries.flatMap((entry, index) =>
    MATCH_KEYS.filter((key) => isObject(entry[key])).map((key) => ({ entry, path: [...base, index], key }))));
}

function phasesOf(plan: unknown): Entry[] {
  return listOf(isObject(plan) ? plan.phases : undefined);
}

function listOf(value: unknown): Entry[] {
  return Array.isArray(value) ? value.map((item) => (isObject(item) ? item : {})) : [];
}

function isObject(value: unknown): value is Entry {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}
