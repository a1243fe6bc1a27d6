import { formatDuration, parseDuration } from '../plan/duration.js';
import { describeFailure, runShell, type ShellResult } from './shell.js';

/**
 * A plan's `run:` entry — transform step, check, or rollback step — with its own `env` and
 * `timeout` (default 10m) on top of the PHASEGATE_* variables.
 */
export const DEFAULT_TIMEOUT = '10m';

export interface CommandSpec {
  run: string;
  env?: Record<string, string | number | boolean>;
  timeout?: string | number;
}

export interface CommandResult extends ShellResult {
  /** "exit 0", "exited with status 2", "timed out after 10.0s". */
  verdict: string;
}

export async function runCommandStep(
  spec: CommandSpec,
  where: { cwd: string; env: Record<string, string>; signal?: AbortSignal; onLine?: (line: string) => void; logFile?: string },
): Promise<CommandResult> {
  const timeout = spec.timeout ?? DEFAULT_TIMEOUT;
  const result = await runShell(spec.run, {
    cwd: where.cwd,
    env: { ...where.env, ...stringEnv(spec.env) },
    timeoutMs: parseDuration(timeout),
    signal: where.signal,
    onLine: where.onLine,
    logFile: where.logFile,
  });
  return { ...result, verdict: result.ok ? 'exit 0' : describeFailure(result, formatDuration(parseDuration(timeout))) };
}

export function stringEnv(env: Record<string, string | number | boolean> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(env ?? {}).map(([key, value]) => [key, String(value)]));
}
