import { kindOf, STEP_KIND_KEYS, type StepKind } from '../plan/kinds.js';
import type { TransformStep } from '../plan/schema.js';
import { codemod } from './codemod.js';
import { remove } from './delete.js';
import { rename } from './rename.js';
import { replace } from './replace.js';
import { run } from './run.js';
import type { TransformKind } from './types.js';

/** Step kinds are plugins of one shape: adding one is a file here plus a schema entry. */
const kinds: Record<StepKind, TransformKind<never>> = { replace, rename, delete: remove, run, codemod };

export function transformKind(step: TransformStep): { kind: StepKind; impl: TransformKind<TransformStep> } {
  const kind = kindOf(step, STEP_KIND_KEYS);
  if (!kind) throw new Error(`bug: a validated step has no kind: ${JSON.stringify(step)}`);
  return { kind, impl: kinds[kind] as TransformKind<TransformStep> };
}

export function stepTitle(step: TransformStep): string {
  return step.name ?? transformKind(step).impl.describe(step);
}
