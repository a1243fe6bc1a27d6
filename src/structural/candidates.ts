import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Confinement } from '../scope/confine.js';
import { readTextFile } from '../scope/text.js';
import { hasWords } from './prefilter.js';

/**
 * The files a codemod hands to ast-grep's CLI: inside the tree (nothing beyond a symlinked
 * folder, no symlink itself), text in UTF-8 (a binary file or another encoding is never rewritten),
 * and holding every word a match must contain — most files of a large repository do not, and are
 * never parsed (a read is three system calls; see readTextFile).
 */
export interface Candidates {
  files: string[];
  skipped: { binary: number; 'not-utf8': number };
}

/** `shape`: a pattern the text must also match (prefilter-call.ts), when one is certain. */
export async function selectCandidates(root: string, inScope: readonly string[], words: readonly string[], signal: AbortSignal, shape?: RegExp): Promise<Candidates> {
  const files = new Confinement(root).inside(inScope);
  const base = root.endsWith(path.sep) ? root : `${root}${path.sep}`;
  const selected: string[] = [];
  const skipped = { binary: 0, 'not-utf8': 0 };
  for (let index = 0; index < files.length; index++) {
    // Let Ctrl-C and the task list through now and then.
    if (index % 2000 === 1999) {
      await yieldToEventLoop();
      signal.throwIfAborted();
    }
    const read = readTextFile(base + files[index], words[0]);
    if (read === undefined) continue;
    if ('skipped' in read) {
      if (read.skipped === 'binary' || read.skipped === 'not-utf8') skipped[read.skipped]++;
      continue;
    }
    if (hasWords(read.text, words) && (!shape || shape.test(read.text))) selected.push(files[index]);
  }
  signal.throwIfAborted();
  return { files: selected, skipped };
}
