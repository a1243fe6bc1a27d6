import { Worker } from 'node:worker_threads';
import { StepError } from '../errors.js';
import { formatDuration } from '../plan/duration.js';
import { timeoutMs } from '../process/deadline.js';
import { startTimer } from '../process/long-timer.js';
import { runJob, type QueryOutcome, type RegexJob, type ReplaceOutcome } from './jobs.js';

/**
 * Regex work runs on a worker thread. A JavaScript regex cannot be interrupted from the thread
 * that runs it: `(a+)+$` on a 41-byte line backtracks for longer than anyone waits, and while it
 * does, that thread handles no signal. On a worker, the main thread stays free: Ctrl-C, the
 * step's timeout and the per-file deadline terminate the worker (which stops the regex where it
 * is), and the message names the regex and the file, read from memory the worker shares.
 *
 * One worker does a whole step or round of checks (20,000 files) and is kept for the next job, so
 * the fast path pays one thread start per run (~30 ms), not one per file or per step.
 */
export interface RegexRun {
  /** Ctrl-C: the worker is terminated and the job rejects with the signal's reason. */
  signal: AbortSignal;
  /** The step's or check's `timeout:` for the whole job. */
  timeout: string | number | undefined;
  /** How the job's `queryIndex`-th regex is named in messages ("replace /x/"). */
  name(queryIndex: number): string;
  progress?(done: number, total: number, counted: number): void;
  /** Files a replace has written, as it goes (in batches). */
  written?(files: string[]): void;
}

/** No regex gets longer than this on one file, whatever the step's timeout: none needs it. */
export const FILE_DEADLINE_MS = 60_000;
const WATCH_EVERY_MS = 500;

export function runRegexJob(job: Extract<RegexJob, { kind: 'replace' }>, run: RegexRun): Promise<ReplaceOutcome>;
export function runRegexJob(job: Extract<RegexJob, { kind: 'scan' }>, run: RegexRun): Promise<QueryOutcome[]>;
export async function runRegexJob(job: RegexJob, run: RegexRun): Promise<ReplaceOutcome | QueryOutcome[]> {
  run.signal.throwIfAborted();
  // Nothing to read: no regex runs, no thread is needed.
  if (job.files.length === 0) return runJob(job, { at: () => {}, progress: () => {} });
  const worker = takeWorker();
  const position = new Int32Array(new SharedArrayBuffer(8));
  const limit = timeoutMs(run.timeout);
  const fileDeadline = Math.min(limit, FILE_DEADLINE_MS);

  return new Promise((resolve, reject) => {
    let settled = false;

    const where = () => {
      const file = job.files[Atomics.load(position, 0)];
      return { file, name: run.name(Atomics.load(position, 1)) };
    };
    const tooSlow = (what: string) => {
      const { file, name } = where();
      return new StepError(`${name} ${what} on ${file}; a regular expression that backtracks catastrophically (nested quantifiers such as (a+)+) may never end: rewrite it or narrow its files`);
    };
    const finish = () => {
      settled = true;
      timer.clear();
      clearInterval(watchdog);
      run.signal.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    // Never reject while the worker may still write a file: the caller may restore the checkpoint.
    const stop = (error: unknown) => {
      if (settled) return;
      finish();
      worker.terminate().then(() => reject(error), () => reject(error));
    };
    const onMessage = (message: { type: 'progress'; done: number; total: number; counted: number } | { type: 'written'; files: string[] } | { type: 'done'; result: ReplaceOutcome | QueryOutcome[] } | { type: 'error'; message: string }) => {
      if (settled) return;
      if (message.type === 'progress') {
        run.progress?.(message.done, message.total, message.counted);
        return;
      }
      if (message.type === 'written') {
        run.written?.(message.files);
        return;
      }
      finish();
      releaseWorker(worker);
      if (message.type === 'done') resolve(message.result);
      else reject(new Error(message.message));
    };
    const onAbort = () => stop(run.signal.reason);
    const onError = (error: Error) => stop(error);
    const onExit = () => stop(new Error('bug: the regex worker stopped without an answer'));

    const timer = startTimer(limit, () => stop(tooSlow(`timed out after ${formatDuration(limit)}`)));
    const watchdog = watchEachFile(position, fileDeadline < limit ? fileDeadline : undefined, () => stop(tooSlow(`spent more than ${formatDuration(fileDeadline)}`)));
    run.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ job, position });
  });
}

/**
 * Calls `stuck` when the worker has been on one file (the index it writes to `position`) for longer
 * than `fileDeadline`; no deadline (the job's own timeout is shorter) watches nothing.
 */
function watchEachFile(position: Int32Array, fileDeadline: number | undefined, stuck: () => void): NodeJS.Timeout {
  let watchedFile = -1;
  let watchedSince = performance.now();
  return setInterval(() => {
    const file = Atomics.load(position, 0);
    if (file !== watchedFile) {
      watchedFile = file;
      watchedSince = performance.now();
    } else if (fileDeadline !== undefined && performance.now() - watchedSince > fileDeadline) {
      stuck();
    }
  }, WATCH_EVERY_MS);
}

// Built, the worker is next to this file (tsc's dist/regex/, the bundle's dist/chunks/: rolldown.config.mjs);
// under vitest (running src/*.ts) it is tsc's.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? '../../dist/regex/worker.js' : './worker.js', import.meta.url);

/** An idle worker kept for the next job; unref'd, so it never keeps the process alive. */
let idle: Worker | undefined;

function takeWorker(): Worker {
  const worker = idle ?? startWorker();
  idle = undefined;
  worker.ref();
  return worker;
}

/**
 * A worker's young generation defaults to the size of the main thread's; reading 20,000 files
 * fills it with short-lived buffers and strings before any is collected. 8 MB: a scan of 20,000
 * files peaked at 93 MB of RSS instead of 121 MB (79 MB on the main thread), in the same time.
 */
const YOUNG_GENERATION_MB = 8;

/**
 * Start the worker ahead of its first job, while the run does its git work: a thread takes
 * 30–50 ms to start on an idle machine and several hundred on a busy one.
 */
export function warmRegexWorker(): void {
  if (idle) return;
  idle = startWorker();
  idle.unref();
}

function startWorker(): Worker {
  const worker = new Worker(WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  // An idle worker that fails is simply not reused; 'error' must never go unheard.
  worker.on('error', () => { if (idle === worker) idle = undefined; });
  return worker;
}

function releaseWorker(worker: Worker): void {
  if (idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  idle = worker;
}
