import path from 'node:path';
import { StepError } from '../errors.js';
import { readTextFile } from '../scope/text.js';
import { forEachFile } from '../transforms/batches.js';
import { textProcessor, type FileOutcome, type Job } from './jobs.js';
import { WorkerPool, workerCount } from './pool.js';
import { hasWords } from './prefilter.js';

/**
 * Runs a structural job over the files in scope. Every file is first tested for the words every
 * match must contain (cheap: most files of a large repository are never decoded); only the
 * files left are parsed — on this thread while they are few, by worker threads once their text
 * passes PARALLEL_BYTES, where starting workers pays for itself.
 */
const PARALLEL_BYTES = 512 * 1024;

export interface ScanContext {
  root: string;
  signal: AbortSignal;
  progress(text: string): void;
}

export interface ScanResult {
  outcomes: FileOutcome[];
  /** Files parsed (those that passed the prefilter). */
  parsed: number;
  skipped: { binary: number; 'not-utf8': number };
}

export async function scanFiles(job: Job, files: readonly string[], words: readonly string[], context: ScanContext): Promise<ScanResult> {
  const outcomes: FileOutcome[] = [];
  const skipped = { binary: 0, 'not-utf8': 0 };
  let held: { file: string; text: string }[] = [];
  let heldBytes = 0;
  let parsed = 0;
  let pool: WorkerPool | undefined;
  let firstError: string | undefined;
  const record = (outcome: FileOutcome) => {
    outcomes.push(outcome);
    firstError ??= outcome.error;
    return firstError === undefined;
  };
  const counts = () => `${outcomes.filter((outcome) => outcome.changed || outcome.matches?.length).length} ${job.kind === 'rewrite' ? 'changed' : 'with matches'}`;

  try {
    await forEachFile(files, context.signal, (file) => {
      if (firstError) return;
      const read = readTextFile(path.join(context.root, file), words[0]);
      if (read === undefined) return;
      if ('skipped' in read) {
        if (read.skipped === 'binary' || read.skipped === 'not-utf8') skipped[read.skipped]++;
        return;
      }
      if (!hasWords(read.text, words)) return;
      parsed++;
      if (pool) return pool.push(file);
      held.push({ file, text: read.text });
      heldBytes += read.buffer.length;
      const workers = heldBytes > PARALLEL_BYTES ? workerCount() : 0;
      if (workers > 0) {
        pool = new WorkerPool(job, workers, record);
        for (const entry of held) pool.push(entry.file);
        held = [];
      }
    }, (done, total) => context.progress(`scanned ${done}/${total} files · ${parsed} parsed · ${counts()}`));

    if (pool) await pool.finish(context.signal);
    else {
      const processText = textProcessor(job);
      const texts = new Map(held.map((entry) => [entry.file, entry.text]));
      await forEachFile([...texts.keys()], context.signal, (file) => {
        if (!firstError) record(processText(file, texts.get(file)!));
      }, (done, total) => context.progress(`parsed ${done}/${total} files · ${counts()}`));
    }
  } finally {
    await pool?.stop();
  }
  if (firstError) throw new StepError(firstError);
  outcomes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { outcomes, parsed, skipped };
}
