import { formatDuration, parseDuration } from '../plan/duration.js';
import type { RunCheck } from '../plan/schema.js';
import { describeFailure, runShell } from '../process/shell.js';
import { DEFAULT_TIMEOUT, stringEnv } from '../transforms/run.js';
import { shorten } from '../transforms/types.js';
import type { CheckKind } from './types.js';

/** `run: <command>` passes when it exits 0 within its timeout; on timeout its whole tree is killed. */
export const run: CheckKind<RunCheck> = {
  describe: (check) => `run ${shorten(check.run, 60)}`,
  async run(check, context) {
    const timeout = check.timeout ?? DEFAULT_TIMEOUT;
    const result = await runShell(check.run, {
      cwd: context.root,
      env: { ...context.env, ...stringEnv(check.env) },
      timeoutMs: parseDuration(timeout),
      signal: context.signal,
      onLine: (line) => context.progress(line),
    });
    context.signal.throwIfAborted();
    return {
      passed: result.ok,
      summary: result.ok ? 'exit 0' : describeFailure(result, formatDuration(parseDuration(timeout))),
      details: { command: check.run, exitCode: result.exitCode, timedOut: result.timedOut, outputTail: result.tail, output: result.output },
    };
  },
};
