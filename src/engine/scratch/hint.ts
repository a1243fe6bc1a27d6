import { RefusedError } from '../../errors.js';
import type { RunReport } from '../../report/model.js';

/**
 * A scratch clone has only what git tracks. When a command there fails the way a missing tool or
 * module fails (exit 127, "command not found", ENOENT, npx finding no package, "No module named"),
 * the likely cause is an ignored folder the clone lacks, and the fix is `carry:` / `--carry`.
 */
const MISSING = new RegExp([
  'command not found', ': not found', 'status 127\\b', // sh, dash
  '\\bENOENT\\b', 'Cannot find module', 'No such file or directory', // node
  'npx canceled due to missing packages', 'could not determine executable to run', // npx without node_modules
  'ModuleNotFoundError', 'No module named', // python without its virtualenv
].join('|'));

export function carryHint(carried: readonly string[]): string {
  const already = carried.length ? ` (carried this time: ${carried.join(', ')})` : '';
  return 'hint: a command or file was not found in the scratch clone, which has only what git tracks — no node_modules, ' +
    `.venv or build output. Bring ignored paths in with 'carry: [node_modules]' in the plan or '--carry <path>'${already}.`;
}

/** Did a step or check of this run fail as a missing tool or file would? */
export function failedAsMissing(report: RunReport): boolean {
  return report.phases.some((phase) =>
    phase.checks.some((check) => !check.passed && (check.details.exitCode === 127 || MISSING.test(check.details.output ?? (check.details.outputTail ?? []).join('\n')))) ||
    phase.steps.some((step) => step.error !== undefined && MISSING.test(`${step.error}\n${(step.outputTail ?? []).join('\n')}`)));
}

/** A refusal from inside the clone (a preflight check that found no tool) gains the hint. */
export function withCarryHint(error: unknown, carried: readonly string[]): unknown {
  if (error instanceof RefusedError && MISSING.test(error.message)) {
    return new RefusedError(`${error.message}\n${carryHint(carried)}`);
  }
  return error;
}
