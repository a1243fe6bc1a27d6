/**
 * The key that names each transform step and check kind, in the order a key is looked for. Kept
 * apart from the schema so that running an already validated plan (read back from the plan cache)
 * never loads the schema library: ~150 ms of every `run`. schema.ts checks at compile time that
 * its registries have exactly these keys.
 */
export const STEP_KIND_KEYS = ['replace', 'rename', 'delete', 'run', 'codemod'] as const;
export const CHECK_KIND_KEYS = ['run', 'forbid', 'require', 'count', 'score'] as const;
export type StepKind = (typeof STEP_KIND_KEYS)[number];
export type CheckKind = (typeof CHECK_KIND_KEYS)[number];

/** The key that names a step's or check's kind: the first known kind key present. */
export function kindOf<K extends string>(entry: unknown, kinds: readonly K[]): K | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  return kinds.find((kind) => kind in (entry as object));
}
