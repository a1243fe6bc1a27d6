import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/**
 * Work through many files synchronously (fast) while still letting Ctrl-C, the task list and
 * progress updates through between batches.
 */
const BATCH = 400;
const PROGRESS_EVERY_MS = 250;

export async function forEachFile(
  files: readonly string[],
  signal: AbortSignal,
  visit: (file: string) => void,
  progress?: (done: number, total: number) => void,
): Promise<void> {
  let lastReport = performance.now();
  for (let start = 0; start < files.length; start += BATCH) {
    signal.throwIfAborted();
    const end = Math.min(start + BATCH, files.length);
    for (let index = start; index < end; index++) visit(files[index]);
    if (progress && performance.now() - lastReport > PROGRESS_EVERY_MS) {
      progress(end, files.length);
      lastReport = performance.now();
    }
    if (end < files.length) await yieldToEventLoop();
  }
}
