import { parentPort } from 'node:worker_threads';
import { runJob, type RegexJob } from './jobs.js';

/**
 * The regex worker thread: runs one job at a time (in-worker.ts sends them). Where it is — which
 * file, which regex — goes into shared memory before each file, so that the main thread can name
 * them when it stops a regex that never ends, while this thread cannot answer.
 */
const port = parentPort!;

port.on('message', ({ job, position }: { job: RegexJob; position: Int32Array }) => {
  const reporter = {
    at(fileIndex: number, queryIndex: number) {
      Atomics.store(position, 0, fileIndex);
      Atomics.store(position, 1, queryIndex);
    },
    progress(done: number, total: number, counted: number) {
      port.postMessage({ type: 'progress', done, total, counted });
    },
  };
  try {
    port.postMessage({ type: 'done', result: runJob(job, reporter) });
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
