import type { CheckReport } from '../../report/model.js';

/**
 * The phase gate. Without a score entry every check must pass. With `score: N`, the score is the
 * weighted share of passing checks and the phase passes when score ≥ N and every required check
 * passes — the seed's "SSOT compliance ≥ 85 %".
 */
export interface Gate {
  passed: boolean;
  score: number;
  threshold: number | null;
  failedRequired: string[];
  failed: string[];
}

export function evaluateGate(checks: readonly Pick<CheckReport, 'name' | 'passed' | 'weight' | 'required'>[], threshold: number | null): Gate {
  const total = checks.reduce((sum, check) => sum + check.weight, 0);
  const earned = checks.reduce((sum, check) => sum + (check.passed ? check.weight : 0), 0);
  const score = total === 0 ? (checks.every((check) => check.passed) ? 100 : 0) : roundDown((earned / total) * 100);
  const failed = checks.filter((check) => !check.passed).map((check) => check.name);
  if (threshold === null) return { passed: failed.length === 0, score, threshold, failedRequired: failed, failed };
  const failedRequired = checks.filter((check) => check.required && !check.passed).map((check) => check.name);
  // The exact share decides (84.95 % is below 85 %), not the one-decimal figure shown.
  const reached = total === 0 ? score >= threshold : earned * 100 >= threshold * total;
  return { passed: reached && failedRequired.length === 0, score, threshold, failedRequired, failed };
}

/** One decimal, never rounded up: a score shown as 85 % has reached 85 %. */
function roundDown(value: number): number {
  return Math.floor(value * 10 + 1e-9) / 10;
}

export function describeGate(gate: Gate): string {
  if (gate.threshold === null) {
    return gate.passed ? 'all checks passed' : `${gate.failed.length} check(s) failed: ${gate.failed.join(', ')}`;
  }
  const base = `score ${gate.score}% (threshold ${gate.threshold}%)`;
  if (gate.passed) return base;
  if (gate.failedRequired.length > 0) return `${base}; required check(s) failed: ${gate.failedRequired.join(', ')}`;
  return `${base} is below the threshold`;
}
