import type { RunCheck } from '../plan/schema.js';
import { runCommandStep } from '../process/command-step.js';
import { shorten } from '../transforms/types.js';
import type { CheckKind } from './types.js';

/** `run: <command>` passes when it exits 0 within its timeout; on timeout its whole tree is killed. */
export const run: CheckKind<RunCheck> = {
  describe: (check) => `run ${shorten(check.run, 60)}`,
  async run(check, context) {
    const result = await runCommandStep(check, { cwd: context.root, env: context.env, signal: context.signal, onLine: context.progress, logFile: context.outputLog });
    context.signal.throwIfAborted();
    return {
      passed: result.ok,
      summary: result.verdict,
      details: { command: check.run, exitCode: result.exitCode, timedOut: result.timedOut, outputTail: result.tail, output: result.output, outputLog: result.outputLog },
    };
  },
};
