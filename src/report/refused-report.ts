import { findRepoRoot } from '../git/state.js';
import path from 'node:path';
import { ExitCode, type PhasegateError } from '../errors.js';
import { VERSION } from '../version.js';
import type { RunReport } from './model.js';

/**
 * The `--report` of a run that stopped before a phase could start (bad plan, dirty tree,
 * preflight failed). Without it a fleet's merged table would be missing that repository, and a
 * missing row reads as "nothing wrong".
 */
/** `refusedReport` for a run started in `cwd`: the repository is named by its root when there is one. */
export async function refusedReportIn(cwd: string, planArgument: string, error: PhasegateError, startedAt: Date): Promise<RunReport> {
  return refusedReport(planArgument, error, (await findRepoRoot(cwd)) ?? cwd, startedAt);
}

export function refusedReport(planArgument: string, error: PhasegateError, root: string, startedAt: Date): RunReport {
  const ended = new Date();
  const name = path.basename(planArgument).replace(/\.ya?ml$/, '');
  const result = error.exitCode === ExitCode.refused ? 'refused' : error.exitCode === ExitCode.interrupted ? 'interrupted' : 'error';
  return {
    tool: { name: 'phasegate', version: VERSION }, plan: name, planTitle: name, planFile: planArgument, repository: root,
    branch: null, dryRun: false, startedAt: startedAt.toISOString(), endedAt: ended.toISOString(),
    durationMs: ended.getTime() - startedAt.getTime(), result, exitCode: error.exitCode, message: error.message, changed: false, phases: [],
  };
}
