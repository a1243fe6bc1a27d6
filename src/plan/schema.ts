import { z } from 'zod';
import { DURATION_PATTERN, isDuration } from './duration.js';
import { outsideRepoReason } from './repo-paths.js';
import { branchNameProblem } from './branch-name.js';
import { LANGUAGE_ALIASES, LANGUAGES, STRICTNESS, canonicalLanguage } from './languages.js';
import type { CHECK_KIND_KEYS, STEP_KIND_KEYS } from './kinds.js';

/**
 * The plan format, once: TypeScript types, validation and the editor JSON Schema
 * (`schema/plan.schema.json`) all come from here. Step and check kinds are keyed by the one key
 * that names them (`replace:`, `forbid:` …); `stepKinds`/`checkKinds` are the registries the
 * loader uses to explain a step that matches no kind.
 */

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const id = z.string().regex(ID_PATTERN, { message: 'must be lowercase letters, digits and dashes, starting with a letter or digit' });

const NOT_A_DURATION = 'is not a duration (write it like 90s, 10m or 1h)';
// The pattern and the bound are in the schema itself, not only in the refinement, so that the
// editor JSON Schema (generated from this) rejects what `check` rejects.
const duration = z
  .union([z.string().regex(DURATION_PATTERN, { message: NOT_A_DURATION }), z.number().positive()])
  // Left: what rounds to no time at all (`0.0001ms`); not said twice when a branch already spoke.
  .refine(isDuration, { message: NOT_A_DURATION, when: (payload) => payload.issues.length === 0 })
  .meta({ description: 'Duration such as 90s, 10m, 1h; a bare number is seconds.' });

const repoPath = z.string().superRefine((value, ctx) => {
  const reason = outsideRepoReason(value);
  if (reason) ctx.addIssue({ code: 'custom', message: reason });
});
const globs = z
  .union([repoPath, z.array(repoPath).min(1)])
  .meta({ description: 'Glob(s) over tracked files, relative to the repository root; a leading ! excludes.' });
const env = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const name = z.string().min(1);
const weight = z.number().min(0);

function validRegex(source: string): string | undefined {
  try {
    new RegExp(source, 'gm');
    return undefined;
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

const language = z.string().superRefine((value, ctx) => {
  if (!canonicalLanguage(value)) {
    ctx.addIssue({ code: 'custom', message: `unknown language '${value}' (one of: ${LANGUAGES.join(', ')})` });
  }
}).meta({ description: `Language of the code to parse: ${LANGUAGES.join(', ')} (also ${Object.keys(LANGUAGE_ALIASES).join(', ')}).` });
const strictness = z.enum(STRICTNESS).meta({ description: "ast-grep's pattern strictness; only cst matches every token (smart, the default, may skip e.g. an assert's message)." });
const astRule = z.record(z.string(), z.unknown()).meta({ description: 'An ast-grep rule object.' });

/** A structural matcher: an ast-grep pattern, or a full rule, in a given language. */
const structural = z
  .strictObject({
    pattern: z.string().min(1).optional(),
    rule: astRule.optional(),
    constraints: astRule.optional(),
    utils: astRule.optional(),
    language,
    strictness: strictness.optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.pattern === undefined) === (value.rule === undefined)) {
      ctx.addIssue({ code: 'custom', message: "needs exactly one of 'pattern' or 'rule'" });
    }
  });

// ---- transform steps -------------------------------------------------------------------------

const stepCommon = { name: name.optional(), files: globs.optional(), timeout: duration.optional() };

const replaceStep = z
  .strictObject({ replace: z.string().min(1), with: z.string(), literal: z.boolean().optional(), ...stepCommon })
  .superRefine((step, ctx) => {
    const problem = step.literal ? undefined : validRegex(step.replace);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['replace'] });
  });

const renameStep = z
  .strictObject({
    rename: repoPath.min(1),
    to: z.string().min(1).meta({ description: 'Target template: {path} {dir} {name} {ext}.' }),
    missing: z.enum(['error', 'ignore']).optional(),
    ...stepCommon,
  })
  .superRefine((step, ctx) => {
    const unknown = step.to.match(/\{(?!path\}|dir\}|name\}|ext\})[^}]*\}/);
    if (unknown) {
      ctx.addIssue({ code: 'custom', message: `unknown placeholder ${unknown[0]} (use {path} {dir} {name} {ext})`, path: ['to'] });
      return;
    }
    const reason = outsideRepoReason(step.to.replace(/\{(path|dir|name|ext)\}/g, 'x'));
    if (reason) {
      ctx.addIssue({ code: 'custom', message: `'${step.to}' ${reason.endsWith('.git') ? 'reaches into .git' : 'leaves the repository'}`, path: ['to'] });
    }
  });

const deleteStep = z.strictObject({ delete: repoPath.min(1), missing: z.enum(['error', 'ignore']).optional(), ...stepCommon });

const runStep = z.strictObject({ run: z.string().min(1), env: env.optional(), ...stepCommon });

const codemodStep = z
  .strictObject({
    codemod: z.union([z.string().min(1), z.strictObject({ rule: astRule, constraints: astRule.optional(), utils: astRule.optional() })])
      .meta({ description: 'An ast-grep pattern (metavariables $A, $$$ARGS), or a full rule {rule, constraints, utils}.' }),
    fix: z.string().meta({ description: 'Replacement; metavariables are filled in one pass (captured text is never expanded again).' }),
    language,
    strictness: strictness.optional(),
    ...stepCommon,
  });

export const stepKinds = {
  replace: replaceStep,
  rename: renameStep,
  delete: deleteStep,
  run: runStep,
  codemod: codemodStep,
} as const;

// ---- checks ----------------------------------------------------------------------------------

const checkCommon = { name: name.optional(), files: globs.optional(), weight: weight.optional(), required: z.boolean().optional(), timeout: duration.optional() };
const matcher = z.union([z.string().min(1), structural]);

function regexCheck<K extends string>(key: K, extra: z.ZodRawShape = {}) {
  return z
    .strictObject({ [key]: matcher, literal: z.boolean().optional(), ...checkCommon, ...extra } as { [P in K]: typeof matcher } & typeof checkCommon & { literal: z.ZodOptional<z.ZodBoolean> })
    .superRefine((check: Record<string, unknown>, ctx) => {
      const source = check[key];
      const problem = typeof source === 'string' && !check.literal ? validRegex(source) : undefined;
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [key] });
    });
}

const countBound = z.number().int().min(0);
const ratchet = z.boolean().meta({ description: 'Baseline: the count must not rise above its value at the previous tag (base for the first phase).' });
const countCheck = regexCheck('count', { min: countBound.optional(), max: countBound.optional(), ratchet: ratchet.optional() }).superRefine(
  (check: Record<string, unknown>, ctx) => {
    const { min, max } = check as { min?: number; max?: number };
    if (min === undefined && max === undefined && check.ratchet !== true) ctx.addIssue({ code: 'custom', message: "needs 'min', 'max' or both" });
    else if (min !== undefined && max !== undefined && min > max) ctx.addIssue({ code: 'custom', message: `min (${min}) is greater than max (${max})`, path: ['min'] });
  },
);

const junit = repoPath.min(1).meta({ description: 'Baseline: a JUnit XML file the command writes (relative to the repository root); the check fails only on tests that were not failing at base.' });
const allowMissing = z.boolean().meta({ description: "With junit: a test that was there at base and is gone does not count as a new failure." });
const runCheck = z.strictObject({ run: z.string().min(1), env: env.optional(), junit: junit.optional(), 'allow-missing': allowMissing.optional(), ...checkCommon });
const scoreEntry = z.strictObject({ score: z.number().min(0).max(100), name: name.optional() });

export const checkKinds = {
  run: runCheck,
  forbid: regexCheck('forbid'),
  require: regexCheck('require'),
  count: countCheck,
  score: scoreEntry,
} as const;

const preflightKinds = { run: runCheck, forbid: checkKinds.forbid, require: checkKinds.require, count: countCheck } as const;

// ---- plan ------------------------------------------------------------------------------------

const transformStep = z.union(Object.values(stepKinds) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
const check = z.union(Object.values(checkKinds) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
const preflightCheck = z.union(Object.values(preflightKinds) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
const rollbackStep = z.strictObject({ run: z.string().min(1), env: env.optional(), timeout: duration.optional(), name: name.optional() });

export const HOOK_EVENTS = ['before-phase', 'after-phase', 'on-failure', 'after-rollback', 'after-run'] as const;
const hookCommands = z.union([z.string().min(1), z.array(z.string().min(1))]);
const hooks = z.strictObject(Object.fromEntries(HOOK_EVENTS.map((event) => [event, hookCommands.optional()])) as Record<(typeof HOOK_EVENTS)[number], z.ZodOptional<typeof hookCommands>>);

const phase = z.strictObject({
  id: id.refine((value) => value !== 'base', { message: "'base' is reserved for the starting tag" }),
  title: z.string().min(1).optional(),
  transform: z.array(transformStep).optional(),
  validate: z.array(check).optional(),
  rollback: z.array(rollbackStep).optional(),
});

export const planSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1),
    name: id.meta({ description: 'Used in tag and branch names.' }),
    title: z.string().min(1).optional(),
    branch: z.string().superRefine((value, ctx) => {
      const problem = branchNameProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `is not a valid branch name: ${problem}` });
    }).optional(),
    files: globs.optional(),
    carry: z.array(repoPath).optional()
      .meta({ description: 'Git-ignored paths (node_modules, .venv) that --dry-run and rehearse bring into their scratch clone.' }),
    preflight: z.array(preflightCheck).optional(),
    hooks: hooks.optional(),
    phases: z.array(phase).min(1),
  });

export { preflightKinds };

// ---- types -----------------------------------------------------------------------------------

export type Globs = string | string[];
export type Structural = z.infer<typeof structural>;
export type Matcher = string | Structural;
export type ReplaceStep = z.infer<typeof replaceStep>;
export type RenameStep = z.infer<typeof renameStep>;
export type DeleteStep = z.infer<typeof deleteStep>;
export type RunStep = z.infer<typeof runStep>;
export type CodemodStep = z.infer<typeof codemodStep>;
export type TransformStep = ReplaceStep | RenameStep | DeleteStep | RunStep | CodemodStep;
export type RunCheck = z.infer<typeof runCheck>;
export type MatchCheck = { forbid?: Matcher; require?: Matcher; count?: Matcher; literal?: boolean; min?: number; max?: number;
  ratchet?: boolean; name?: string; files?: Globs; weight?: number; required?: boolean; timeout?: string | number };
export type ScoreEntry = z.infer<typeof scoreEntry>;
export type Check = RunCheck | MatchCheck | ScoreEntry;
export type RollbackStep = z.infer<typeof rollbackStep>;
export type HookEvent = (typeof HOOK_EVENTS)[number];
export type Phase = {
  id: string;
  title?: string;
  transform?: TransformStep[];
  validate?: Check[];
  rollback?: RollbackStep[];
};
export type PlanDocument = Omit<z.infer<typeof planSchema>, 'phases' | 'preflight'> & {
  phases: Phase[];
  preflight?: Check[];
};

export { CHECK_KIND_KEYS, kindOf, STEP_KIND_KEYS, type CheckKind, type StepKind } from './kinds.js';

// The key lists in kinds.ts (loaded without zod) name exactly the kinds registered here.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameStepKinds: SameKeys<keyof typeof stepKinds, (typeof STEP_KIND_KEYS)[number]> = true;
const sameCheckKinds: SameKeys<keyof typeof checkKinds, (typeof CHECK_KIND_KEYS)[number]> = true;
void sameStepKinds;
void sameCheckKinds;
