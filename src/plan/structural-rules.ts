import { canonicalLanguage, STRICTNESS } from './languages.js';

/**
 * Where a plan holds ast-grep patterns and rules (issue 4): its `codemod` steps and structural
 * checks. Only finding them is done here, on the raw YAML read defensively like rules.ts; judging
 * them takes the parser, which lives a layer up (structural/plan-problems.ts) and is loaded only
 * when a plan has any. An entry whose language or shape the schema already rejects is left out,
 * to the schema's message.
 */
type Entry = Record<string, unknown>;
type KeyPath = (string | number)[];
const MATCH_KEYS = ['forbid', 'require', 'count'] as const;

/** One matcher for ast-grep to judge: a codemod step (with its fix) or a structural check's matcher. */
export type PlanMatcher =
  | { kind: 'codemod'; step: Entry; fix?: string; path: KeyPath }
  | { kind: 'check'; matcher: Entry; path: KeyPath };

export function planMatchers(plan: unknown): PlanMatcher[] {
  const steps = codemodSteps(plan)
    .filter(({ entry }) => shapedLike(entry, 'codemod') && (entry.fix === undefined || typeof entry.fix === 'string'))
    .map(({ entry, path }): PlanMatcher => ({ kind: 'codemod', step: entry, fix: entry.fix as string | undefined, path }));
  const checks = structuralChecks(plan)
    .filter(({ entry, key }) => shapedLike(entry[key] as Entry, 'pattern'))
    .map(({ entry, path, key }): PlanMatcher => ({ kind: 'check', matcher: entry[key] as Entry, path: [...path, key] }));
  return [...steps, ...checks];
}

/** Where a problem ast-grep found (its path relative to the matcher) sits in the plan. */
export function problemPathInPlan(matcher: PlanMatcher, problemPath: KeyPath): KeyPath {
  if (matcher.kind === 'check') return [...matcher.path, ...problemPath];
  // The pattern form is the `codemod:` string itself; a rule's parts sit under `codemod:`.
  const inner = problemPath[0] === 'fix' ? problemPath : problemPath[0] === 'pattern' ? ['codemod'] : ['codemod', ...problemPath];
  return [...matcher.path, ...inner];
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

function codemodSteps(plan: unknown): { entry: Entry; path: KeyPath }[] {
  return phasesOf(plan).flatMap((phase, phaseIndex) =>
    listOf(phase.transform).flatMap((entry, index) => ('codemod' in entry ? [{ entry, path: ['phases', phaseIndex, 'transform', index] }] : [])));
}

function structuralChecks(plan: unknown): { entry: Entry; path: KeyPath; key: (typeof MATCH_KEYS)[number] }[] {
  const lists: { entries: Entry[]; base: KeyPath }[] = [
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
