import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileOutcome, Job } from './jobs.js';

/**
 * Worker threads that parse files in parallel. Parsing dominates a structural step (~1 ms per
 * 3 KB), so on a large repository it is spread over the cores; each worker loads napi and its
 * languages itself (~90 ms), which is why small jobs never start one (see scan.ts).
 */
const BATCH = 16;
const MAX_WORKERS = 4;
const WORKER_URL = new URL('./worker.js', import.meta.url);

export function workerCount(): number {
  // Running from TypeScript sources (unit tests) there is no compiled worker to start.
  if (!import.meta.url.endsWith('.js')) return 0;
  // PHASEGATE_PARSE_WORKERS=0 keeps parsing on the main thread (benchmarks, busy CI machines).
  const forced = process.env.PHASEGATE_PARSE_WORKERS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), MAX_WORKERS);
  const cores = os.availableParallelism();
  return cores < 2 ? 0 : Math.min(cores, MAX_WORKERS);
}

export class WorkerPool {
  private readonly queue: string[] = [];
  private readonly idle: Worker[] = [];
  private readonly workers: Worker[];
  private readonly outcomes: FileOutcome[] = [];
  private busy = 0;
  private failure: Error | undefined;
  private settle: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(job: Job, count: number, private readonly onOutcome: (outcome: FileOutcome) => boolean) {
    this.workers = Array.from({ length: count }, () => this.start(job));
    this.idle.push(...this.workers);
  }

  private start(job: Job): Worker {
    const worker = new Worker(WORKER_URL, { workerData: { job } });
    worker.on('message', (message: { outcomes?: FileOutcome[]; failure?: string }) => {
      this.busy--;
      if (message.failure) return this.fail(new Error(`structural worker failed: ${message.failure}`));
      for (const outcome of message.outcomes ?? []) {
        this.outcomes.push(outcome);
        // The callback says whether to go on (false: an error that stops the step).
        if (!this.onOutcome(outcome)) this.queue.length = 0;
      }
      this.idle.push(worker);
      this.dispatch();
    });
    worker.on('error', (error) => this.fail(error));
    return worker;
  }

  push(file: string): void {
    this.queue.push(file);
    if (this.queue.length >= BATCH) this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0 && !this.failure) {
      this.busy++;
      this.idle.pop()!.postMessage(this.queue.splice(0, BATCH));
    }
    if (this.settle && this.busy === 0 && (this.queue.length === 0 || this.failure)) this.done();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.done();
  }

  private done(): void {
    if (!this.settle) return;
    const { resolve, reject } = this.settle;
    this.settle = undefined;
    if (this.failure) reject(this.failure);
    else resolve();
  }

  /** Everything pushed so far, processed; the workers are stopped whatever happens. */
  async finish(signal: AbortSignal): Promise<FileOutcome[]> {
    const onAbort = () => this.fail(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        this.settle = { resolve, reject };
        if (signal.aborted) onAbort();
        else this.dispatch();
      });
      return this.outcomes;
    } finally {
      signal.removeEventListener('abort', onAbort);
      await Promise.all(this.workers.map((worker) => worker.terminate()));
    }
  }

  /** Stop without waiting (the step failed before the pool was drained). */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
