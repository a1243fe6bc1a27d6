import { stat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJUnit } from '../../checks/junit-xml.js';
import type { CheckOutcome } from '../../checks/types.js';
import type { Check } from '../../plan/schema.js';
import { isJUnitCheck, isRatchet, type JUnitBaseline } from './baselines.js';
import { firstFew } from '../../words.js';

/**
 * A check's outcome judged against its baseline, the same way in `run` and in `verify`:
 * - a `run` check with `junit:` passes when no test fails that was not failing at base (the
 *   command's exit status is expected to be non-zero while old failures remain);
 * - a `count` check with `ratchet: true` must also not be above its reference count.
 */
export interface Judging {
  root: string;
  /** junit: the baseline (undefined: none recorded — every failure is new). */
  junit?: JUnitBaseline;
  /** ratchet: the count it must not rise above (undefined: nothing to compare with). */
  ratchetReference?: number;
}

export async function runJudged(check: Check, run: () => Promise<CheckOutcome>, judging: Judging): Promise<CheckOutcome> {
  if (!isJUnitCheck(check)) {
    const outcome = await run();
    return isRatchet(check) ? ratchet(outcome, judging.ratchetReference) : outcome;
  }
  const file = path.join(judging.root, check.junit);
  // A report left from an earlier run must not pass for this one: it counts only if written now.
  const before = await mark(file);
  const outcome = await run();
  const after = await mark(file);
  // A report cut short says nothing about the tests it did not reach.
  if (outcome.details.timedOut) return { ...outcome, passed: false };
  if (after === undefined || after === before) {
    return { ...outcome, passed: false, summary: `${outcome.summary}; did not write its JUnit report ${check.junit}` };
  }
  const now = parseJUnit(await readFile(file, 'utf8'));
  return { ...outcome, ...compare(now, judging.junit, check['allow-missing'] === true) };
}

export interface JUnitComparison { passed: boolean; summary: string; details: CheckOutcome['details'] & { junit: JUnitFigures } }
export interface JUnitFigures { failingBefore: number; failingNow: number; newFailures: string[]; missing: string[] }

function compare(now: { tests: string[]; failing: string[] }, baseline: JUnitBaseline | undefined, allowMissing: boolean): Omit<JUnitComparison, 'details'> & { details: { junit: JUnitFigures } } {
  const before = new Set(baseline?.failing ?? []);
  const present = new Set(now.tests);
  const newFailures = now.failing.filter((id) => !before.has(id));
  const missing = (baseline?.tests ?? []).filter((id) => !present.has(id));
  const counted = allowMissing ? newFailures : [...newFailures, ...missing];
  const gone = missing.length > 0 ? `, missing: ${missing.length}${allowMissing ? ' (allowed)' : ''}` : '';
  const named = counted.length > 0 ? ` (${firstFew(counted)})` : '';
  return {
    passed: counted.length === 0,
    summary: `failing before: ${before.size}, now: ${now.failing.length}, new: ${counted.length}${gone}${named}${baseline ? '' : ' — no baseline recorded'}`,
    details: { junit: { failingBefore: before.size, failingNow: now.failing.length, newFailures, missing } },
  };
}

function ratchet(outcome: CheckOutcome, reference: number | undefined): CheckOutcome {
  const found = outcome.details.matchCount;
  if (reference === undefined || found === undefined || found <= reference) {
    return reference === undefined ? outcome : { ...outcome, summary: `${outcome.summary} (ratchet: ≤ ${reference})` };
  }
  return { ...outcome, passed: false, summary: `${outcome.summary} (rose above ${reference}; ratchet)` };
}

async function mark(file: string): Promise<string | undefined> {
  const found = await stat(file).catch(() => undefined);
  return found?.isFile() ? `${found.mtimeMs}:${found.size}:${found.ino}` : undefined;
}
