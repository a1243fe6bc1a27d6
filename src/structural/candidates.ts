import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Confinement } from '../scope/confine.js';
import { readTextFile } from '../scope/text.js';
import { BatchBuilder } from './ast-grep-cli.js';
import { hasWords } from './prefilter.js';

/**
 * The files a codemod hands to ast-grep's CLI: inside the tree (nothing beyond a symlinked
 * folder, no symlink itself), text in UTF-8 (a binary file or another encoding is never rewritten),
 * and holding every word a match must contain — most files of a large repository do not, and are
 * never parsed (a read is three system calls; see readTextFile). They come in batches, so that
 * the CLI works on the first while the rest are read.
 */
export interface CandidateCount {
  files: number;
  skipped: { binary: number; 'not-utf8': number };
}

/** `shape`: a pattern the text must also match (prefilter-call.ts), when one is certain. `count` is filled in as files are read. */
export async function* candidateBatches(root: string, inScope: readonly string[], words: readonly string[], signal: AbortSignal, count: CandidateCount, shape?: RegExp): AsyncGenerator<readonly string[]> {
  const files = new Confinement(root).inside(inScope);
  const base = root.endsWith(path.sep) ? root : `${root}${path.sep}`;
  const batches = new BatchBuilder();
  for (let index = 0; index < files.length; index++) {
    // Let Ctrl-C, the task list and the CLI's output (a full pipe would stall it) through.
    if (index % 128 === 127) {
      await yieldToEventLoop();
      signal.throwIfAborted();
    }
    const read = readTextFile(base + files[index], words[0]);
    if (read === undefined) continue;
    if ('skipped' in read) {
      if (read.skipped === 'binary' || read.skipped === 'not-utf8') count.skipped[read.skipped]++;
      continue;
    }
    if (!hasWords(read.text, words) || (shape && !shape.test(read.text))) continue;
    count.files++;
    const full = batches.add(files[index]);
    if (full) yield full;
  }
  signal.throwIfAborted();
  const rest = batches.take();
  if (rest) yield rest;
}
