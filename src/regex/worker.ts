import { parentPort } from 'node:worker_threads';
import { runJob, type RegexJob } from './jobs.js';

/**
 * The regex worker thread: runs one job at a time (in-worker.ts sends them). Where it is — which
 * file, which regex — goes into shared memory before each file, so that the main thread can name
 * them when it stops a regex that never ends, while this thread cannot answer.
 */
const port = parentPort!;

/** Files written, sent in batches: one message a file would cost more than it tells. */
const WRITTEN_BATCH = 256;

port.on('message', ({ job, position }: { job: RegexJob; position: Int32Array }) => {
  let written: string[] = [];
  const sendWritten = () => {
    if (written.length > 0) port.postMessage({ type: 'written', files: written });
    written = [];
  };
  const reporter = {
    at(fileIndex: number, queryIndex: number) {
      Atomics.store(position, 0, fileIndex);
      Atomics.store(position, 1, queryIndex);
    },
    progress(done: number, total: number, counted: number) {
      port.postMessage({ type: 'progress', done, total, counted });
    },
    written(file: string) {
      written.push(file);
      if (written.length >= WRITTEN_BATCH) sendWritten();
    },
  };
  try {
    const result = runJob(job, reporter);
    sendWritten();
    port.postMessage({ type: 'done', result });
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
