import { createHash } from 'node:crypto';
import type { Globs, Phase } from './schema.js';

/**
 * A fingerprint of what a phase does, stored in its tag, so that a resumed run can tell that a
 * completed phase was edited since. The plan's default `files` is part of it: changing the scope
 * changes what the phase did.
 */
export function phaseHash(phase: Phase, planFiles: Globs | undefined): string {
  return createHash('sha256').update(stableJson({ phase, files: planFiles ?? null })).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A fingerprint of the whole plan as parsed (comments and layout do not count), written to the run
 * report so that `report merge` can tell which repositories ran a different version of the plan.
 */
export function planHash(plan: unknown): string {
  return createHash('sha256').update(stableJson(plan)).digest('hex').slice(0, 16);
}
