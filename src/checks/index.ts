import { CHECK_KIND_KEYS, kindOf, type CheckKind as CheckKindName } from '../plan/kinds.js';
import type { Check } from '../plan/schema.js';
import { count, forbid, require } from './match-checks.js';
import { run } from './run.js';
import type { CheckKind } from './types.js';

/** Check kinds are plugins of one shape. `score` is not a check: it is the phase's gate. */
const kinds: Record<Exclude<CheckKindName, 'score'>, CheckKind<never>> = { run, forbid, require, count };

export function checkKind(check: Check): { kind: Exclude<CheckKindName, 'score'>; impl: CheckKind<Check> } | undefined {
  const kind = kindOf(check, CHECK_KIND_KEYS);
  if (!kind) throw new Error(`bug: a validated check has no kind: ${JSON.stringify(check)}`);
  if (kind === 'score') return undefined;
  return { kind, impl: kinds[kind] as CheckKind<Check> };
}

export function checkTitle(check: Check): string {
  const found = checkKind(check);
  return check.name ?? (found ? found.impl.describe(check) : `score ≥ ${(check as { score: number }).score}%`);
}
