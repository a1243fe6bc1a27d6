import { parentPort, workerData } from 'node:worker_threads';
import { fileProcessor, type Job } from './jobs.js';

/** A parsing worker: receives batches of paths, answers with one outcome per file that had any. */
const processFile = fileProcessor((workerData as { job: Job }).job);

parentPort!.on('message', (files: string[]) => {
  try {
    parentPort!.postMessage({ outcomes: files.map(processFile).filter(Boolean) });
  } catch (error) {
    parentPort!.postMessage({ failure: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
});
