import os from 'node:os';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { StepError } from '../errors.js';
import { Confinement } from '../scope/confine.js';
import { readTextFile } from '../scope/text.js';
import { jobLanguage, textProcessor, type FileOutcome, type Job } from './jobs.js';
import { parsedFile } from './memory.js';
import { loadNapi, napiLanguage } from './napi.js';
import { hasWords } from './prefilter.js';

/**
 * Runs a structural job over the files in scope. Every file is first tested for the words every
 * match must contain (cheap: most files of a large repository are never decoded). The files left
 * are parsed — the dear part, ~1 ms per 2 KB of Python — by napi's parseAsync on libuv's thread
 * pool, a few at a time, while this thread matches the trees already parsed.
 *
 * This replaced worker threads, which each loaded napi and kept their own heap and allocator
 * arenas: two workers took a codemod over 5,600 files from ~130 MB to 260–300 MB of memory, for
 * the same time on two cores as this pipeline (which stays near 130 MB).
 */
const MAX_IN_FLIGHT = 4;
const PROGRESS_EVERY_MS = 250;

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
  /** A find (a check) must see every file: binary files it skipped, files it read as Latin-1. */
  unread: { binary: string[]; latin1: string[] };
}

/** Parses in flight at once; PHASEGATE_PARSE_WORKERS=0 parses on this thread (benchmarks, tests). */
export function parseConcurrency(): number {
  const forced = process.env.PHASEGATE_PARSE_WORKERS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), MAX_IN_FLIGHT);
  // One more than the cores, so a parsed tree is always waiting when this thread is free.
  return Math.min(os.availableParallelism() + 1, MAX_IN_FLIGHT);
}

export async function scanFiles(job: Job, inScope: readonly string[], words: readonly string[], context: ScanContext): Promise<ScanResult> {
  // Never read outside the working tree: files beyond a symlinked folder are skipped.
  const files = new Confinement(context.root).inside(inScope);
  const outcomes: FileOutcome[] = [];
  const skipped = { binary: 0, 'not-utf8': 0 };
  const unread = { binary: [] as string[], latin1: [] as string[] };
  const processText = textProcessor(job);
  const language = napiLanguage(jobLanguage(job));
  const limit = parseConcurrency();
  const base = context.root.endsWith(path.sep) ? context.root : `${context.root}${path.sep}`;
  const inFlight = new Set<Promise<void>>();
  let parsed = 0;
  let firstError: string | undefined;
  let failure: unknown;
  const stopped = () => firstError !== undefined || failure !== undefined || context.signal.aborted;
  const record = (outcome: FileOutcome) => {
    outcomes.push(outcome);
    firstError ??= outcome.error;
  };
  const report = progressReporter(context, () => `/${files.length} files · ${parsed} parsed · ${outcomes.filter((outcome) => outcome.matches?.length).length} with matches`);

  try {
    for (let index = 0; index < files.length && !stopped(); index++) {
      const file = files[index];
      // A check reads a file that is not UTF-8 as Latin-1.
      const read = readTextFile(base + file, words[0], { latin1: true });
      if (index % 400 === 399) {
        report(index + 1);
        // Let Ctrl-C, the task list and napi's finalizers (which free parsed trees) through.
        await yieldToEventLoop();
      }
      const text = readable(file, read, skipped, unread);
      if (text === undefined || !hasWords(text, words)) continue;
      parsed++;
      if (limit === 0) {
        record(processText(file, text));
        parsedFile();
        if (parsed % 16 === 0) await yieldToEventLoop();
        continue;
      }
      // A tree is used the moment it is parsed, then dropped; nothing is written after a stop.
      const task: Promise<void> = loadNapi().parseAsync(language, text).then(
        (tree) => {
          if (!stopped()) record(processText(file, text, tree.root()));
          parsedFile();
        },
      ).then(() => { inFlight.delete(task); }, (error: unknown) => {
        inFlight.delete(task);
        failure ??= error;
      });
      inFlight.add(task);
      if (inFlight.size >= limit) await Promise.race(inFlight);
    }
  } finally {
    // Never return (or throw) while a parse is still in flight.
    await Promise.all(inFlight);
  }
  if (failure !== undefined) throw failure;
  context.signal.throwIfAborted();
  if (firstError) throw new StepError(firstError);
  outcomes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { outcomes, parsed, skipped, unread };
}

/** Progress at most every PROGRESS_EVERY_MS: `scanned <done><rest>`. */
function progressReporter(context: ScanContext, rest: () => string): (done: number) => void {
  let lastReport = performance.now();
  return (done) => {
    if (performance.now() - lastReport < PROGRESS_EVERY_MS) return;
    lastReport = performance.now();
    context.progress(`scanned ${done}${rest()}`);
  };
}

/** A read file's text, or undefined when it cannot be matched (binary, not UTF-8: counted and listed). */
function readable(file: string, read: ReturnType<typeof readTextFile>, skipped: ScanResult['skipped'], unread: ScanResult['unread']): string | undefined {
  if (read === undefined) return undefined;
  if ('skipped' in read) {
    if (read.skipped === 'binary' || read.skipped === 'not-utf8') skipped[read.skipped]++;
    if (read.skipped === 'binary') unread.binary.push(file);
    return undefined;
  }
  if (read.encoding === 'latin1') unread.latin1.push(file);
  return read.text;
}
