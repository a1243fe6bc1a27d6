import { lstatSync, readFileSync } from 'node:fs';

/**
 * Reading files that a transform or check may look at. Binary files (a NUL byte in the first
 * 8000 bytes, git's own test) and files that are not valid UTF-8 are never rewritten: decoding and
 * re-encoding them would silently corrupt bytes. Symlinks are skipped: the link is the content.
 */
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const SNIFF = 8000;

export type TextFile = { text: string; buffer: Buffer } | { skipped: 'binary' | 'not-utf8' | 'symlink' | 'missing' };

export function readTextFile(absolute: string, prefilter?: string): TextFile | undefined {
  let buffer: Buffer;
  try {
    buffer = readFileSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { skipped: 'missing' };
    if (code === 'ENOENT' || code === 'ENOTDIR') return isSymlink(absolute) ? { skipped: 'symlink' } : { skipped: 'missing' };
    throw error;
  }
  // The cheap test first: most files in a large repository do not contain the literal at all.
  if (prefilter !== undefined && !buffer.includes(prefilter)) return undefined;
  if (buffer.subarray(0, SNIFF).includes(0)) return { skipped: 'binary' };
  if (isSymlink(absolute)) return { skipped: 'symlink' };
  try {
    return { text: decoder.decode(buffer), buffer };
  } catch {
    return { skipped: 'not-utf8' };
  }
}

function isSymlink(absolute: string): boolean {
  try {
    return lstatSync(absolute).isSymbolicLink();
  } catch {
    return false;
  }
}
