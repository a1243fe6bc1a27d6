import path from 'node:path';
import { ExitCode, type PhasegateError } from '../errors.js';
import { VERSION } from '../version.js';
import type { RunReport } from './model.js';

/**
 * The `--report` of a run that stopped before a phase could start (bad plan, dirty tree,
 * preflight failed). Without it a fleet's merged table would be missing that repository, and a
 * missing row reads as "nothing wrong".
 */
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
