import type { Baselines, JUnitBaseline } from '../../git/tag-record.js';
import type { Check, MatchCheck, Phase, RunCheck } from '../../plan/schema.js';

/**
 * Baselines: what a repository was like before the migration, so that a phase is judged on what
 * it changed and not on the repository's past. Recorded in tag messages (see git/tag-record.ts) so
 * that every later command — a resumed run, `verify`, `status` — uses the same figures.
 *
 * Keys are `<phase id>#<check index>`: a check has no id of its own, and its index in the phase's
 * `validate:` list is what the phase hash covers.
 */
// The shapes are the tag record's, kept with its format (git/tag-record.ts).
export type { Baselines, JUnitBaseline };

export function baselineKey(phaseId: string, index: number): string {
  return `${phaseId}#${index}`;
}

export type JUnitCheck = RunCheck & { junit: string };

export function junitChecks(phase: Phase): { index: number; check: JUnitCheck }[] {
  return (phase.validate ?? []).flatMap((check, index) => (isJUnitCheck(check) ? [{ index, check }] : []));
}

export function isJUnitCheck(check: Check): check is JUnitCheck {
  return 'run' in check && typeof (check as RunCheck).junit === 'string';
}

export function isRatchet(check: Check): check is MatchCheck & { ratchet: true } {
  return 'count' in check && (check as MatchCheck).ratchet === true;
}

/** A short line per baseline, for `status`. */
export function describeBaselines(baselines: Baselines | undefined): string[] {
  if (!baselines) return [];
  const lines: string[] = [];
  for (const [key, junit] of Object.entries(baselines.junit ?? {})) {
    lines.push(`${key} ${junit.file}: ${junit.failing.length} of ${junit.tests.length} test(s) failing at base`);
  }
  for (const [key, count] of Object.entries(baselines.counts ?? {})) lines.push(`${key} ratchet: at most ${count}`);
  return lines;
}
