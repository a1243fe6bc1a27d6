import { StepError } from '../errors.js';
import { changedBetweenTrees, stagedTree } from '../git/checkpoint.js';
import { formatDuration, parseDuration } from '../plan/duration.js';
import type { RunStep } from '../plan/schema.js';
import { describeFailure, runShell } from '../process/shell.js';
import { shorten, type TransformKind } from './types.js';

export const DEFAULT_TIMEOUT = '10m';

/** `run: <shell command>` in the repository root. Whatever it changes is part of the phase. */
export const run: TransformKind<RunStep> = {
  describe: (step) => `run ${shorten(step.run, 60)}`,

  async apply(step, context) {
    // Trees before and after tell exactly what the command changed, whatever it was.
    const before = await stagedTree(context.git, context.neverStage);
    const timeout = step.timeout ?? DEFAULT_TIMEOUT;
    const result = await runShell(step.run, {
      cwd: context.root,
      env: { ...context.env, ...stringEnv(step.env) },
      timeoutMs: parseDuration(timeout),
      signal: context.signal,
      onLine: (line) => context.progress(line),
    });
    context.signal.throwIfAborted();
    if (!result.ok) {
      const tail = result.tail.slice(-10).map((line) => `    ${line}`).join('\n');
      throw new StepError(`\`${shorten(step.run, 80)}\` ${describeFailure(result, formatDuration(parseDuration(timeout)))}${tail ? `\n${tail}` : ''}`);
    }
    const after = await stagedTree(context.git, context.neverStage);
    await context.files.refresh();
    return { changed: await changedBetweenTrees(context.git, before, after), notes: [], outputTail: result.tail };
  },
};

export function stringEnv(env: Record<string, string | number | boolean> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(env ?? {}).map(([key, value]) => [key, String(value)]));
}
