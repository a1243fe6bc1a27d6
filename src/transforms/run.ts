import { StepError } from '../errors.js';
import { changedBetweenTrees, stagedTree } from '../git/checkpoint.js';
import type { RunStep } from '../plan/schema.js';
import { runCommandStep } from '../process/command-step.js';
import { shorten, type TransformKind } from './types.js';

/** `run: <shell command>` in the repository root. Whatever it changes is part of the phase. */
export const run: TransformKind<RunStep> = {
  describe: (step) => `run ${shorten(step.run, 60)}`,

  async apply(step, context) {
    // Trees before and after tell exactly what the command changed, whatever it was.
    const before = await stagedTree(context.git, context.neverStage);
    const result = await runCommandStep(step, { cwd: context.root, env: context.env, signal: context.signal, onLine: context.progress, logFile: context.outputLog });
    context.signal.throwIfAborted();
    if (!result.ok) {
      const tail = result.tail.slice(-10).map((line) => `    ${line}`).join('\n');
      throw new StepError(`\`${shorten(step.run, 80)}\` ${result.verdict}${tail ? `\n${tail}` : ''}`);
    }
    const after = await stagedTree(context.git, context.neverStage);
    await context.files.refresh();
    return { changed: await changedBetweenTrees(context.git, before, after), notes: [], outputTail: result.tail, outputLog: result.outputLog };
  },
};
