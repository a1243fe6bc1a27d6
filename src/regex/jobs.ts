import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readTextFile, writeTextFile } from '../scope/text.js';
import { compileRegex } from './compile.js';
import { matchLines, type MatchedLine } from './match-lines.js';

/**
 * The regex work of a `replace` step and of forbid/require/count checks, as plain data in and out,
 * so that it can run on the regex worker thread (worker.ts), where a regex that never ends can be
 * stopped. Files are read and written here, one after the other, synchronously: the fast path.
 */
export interface RegexQuery { source: string; literal?: boolean; prefilter?: string }

export type RegexJob =
  | { kind: 'replace'; root: string; files: string[]; query: RegexQuery; replacement: string }
  | { kind: 'scan'; root: string; files: string[]; queries: RegexQuery[] };

export interface ReplaceOutcome {
  changed: string[];
  skipped: { binary: number; 'not-utf8': number };
}

/** What one regex of a scan found, and the files in scope it could not read as text. */
export interface QueryOutcome {
  matches: MatchedLine[];
  /** Files with a NUL byte (git's test for binary) that might hold a match: never matched. */
  binary: string[];
  /** Files that are not valid UTF-8, matched as Latin-1 (every byte is one character). */
  latin1: string[];
}

/** Where the job is, written where the main thread can read it while this thread is busy. */
export interface JobReporter {
  /** Called before each file (index into the job's files) and each query on it. */
  at(fileIndex: number, queryIndex: number): void;
  progress(done: number, total: number, counted: number): void;
  /** A replace wrote this file (its final content for this job). */
  written?(file: string): void;
}

const PROGRESS_EVERY_MS = 250;

export function runJob(job: RegexJob, reporter: JobReporter): ReplaceOutcome | QueryOutcome[] {
  return job.kind === 'replace' ? replaceInFiles(job, reporter) : scanFiles(job, reporter);
}

function replaceInFiles(job: Extract<RegexJob, { kind: 'replace' }>, reporter: JobReporter): ReplaceOutcome {
  const pattern = compileRegex(job.query.source, job.query.literal);
  // literal: the replacement is plain text too ($1 stays "$1").
  const replacement: string | (() => string) = job.query.literal ? () => job.replacement : job.replacement;
  const changed: string[] = [];
  const skipped = { binary: 0, 'not-utf8': 0 };
  const base = withSeparator(job.root);
  const progress = throttled(reporter, job.files.length);
  job.files.forEach((file, index) => {
    reporter.at(index, 0);
    progress(index, changed.length);
    const read = readTextFile(base + file, job.query.prefilter);
    if (read === undefined) return;
    if ('skipped' in read) {
      if (read.skipped === 'binary' || read.skipped === 'not-utf8') skipped[read.skipped]++;
      return;
    }
    // A byte order mark is not line content (`^` must match line 1): matched without it, written back with it.
    const mark = byteOrderMark(read.text);
    const next = mark + read.text.slice(mark.length).replace(pattern, replacement as string);
    if (next !== read.text) {
      writeTextFile(base + file, next);
      changed.push(file);
      reporter.written?.(file);
    }
  });
  return { changed, skipped };
}

/**
 * One pass over the files for several regexes: each file is read once, tested for every regex's
 * required text, and decoded at most once.
 */
function scanFiles(job: Extract<RegexJob, { kind: 'scan' }>, reporter: JobReporter): QueryOutcome[] {
  const compiled = job.queries.map((query) => ({ pattern: compileRegex(query.source, query.literal), prefilter: query.prefilter }));
  // The file is read only if it may match at least one of them.
  const prefilters = compiled.every((entry) => entry.prefilter !== undefined) ? compiled.map((entry) => entry.prefilter!) : undefined;
  const outcomes: QueryOutcome[] = compiled.map(() => ({ matches: [], binary: [], latin1: [] }));
  const base = withSeparator(job.root);
  const progress = throttled(reporter, job.files.length);
  let found = 0;
  job.files.forEach((file, fileIndex) => {
    reporter.at(fileIndex, 0);
    progress(fileIndex, found);
    const read = readTextFile(base + file, prefilters, { latin1: true });
    if (read === undefined) return;
    if ('skipped' in read) {
      if (read.skipped === 'binary') binaryMayMatch(base + file, compiled).forEach((index) => outcomes[index].binary.push(file));
      return;
    }
    compiled.forEach((entry, index) => {
      if (entry.prefilter !== undefined && !read.text.includes(entry.prefilter)) return;
      reporter.at(fileIndex, index);
      if (read.encoding === 'latin1') outcomes[index].latin1.push(file);
      const lines = matchLines(read.text.slice(byteOrderMark(read.text).length), entry.pattern, file);
      found += lines.length;
      for (const line of lines) outcomes[index].matches.push(line);
    });
  });
  return outcomes;
}

/** The queries a binary file might have matched: those without a prefilter or whose text it holds. */
function binaryMayMatch(absolute: string, compiled: readonly { prefilter?: string }[]): number[] {
  const bytes = readFileSync(absolute);
  return compiled.flatMap((entry, index) => (entry.prefilter === undefined || bytes.includes(entry.prefilter) || bytes.includes(entry.prefilter, 0, 'latin1') ? [index] : []));
}

function throttled(reporter: JobReporter, total: number): (done: number, counted: number) => void {
  let last = performance.now();
  return (done, counted) => {
    if ((done & 63) !== 0) return;
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    reporter.progress(done, total, counted);
  };
}

function withSeparator(root: string): string {
  return root.endsWith(path.sep) ? root : `${root}${path.sep}`;
}

function byteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
}
