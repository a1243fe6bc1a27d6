import { chmodSync, closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';

/**
 * Reading files that a transform or check may look at. Binary files (a NUL byte in the first
 * 8000 bytes, git's own test) and files that are not valid UTF-8 are never rewritten: decoding and
 * re-encoding them would silently corrupt bytes. Symlinks are skipped: the link is the content.
 *
 * A scan reads every file in scope, and most of them do not contain the prefilter text, so the read
 * is kept to three system calls: open with O_NOFOLLOW (a symlink fails with ELOOP: no lstat per
 * file), one read into a buffer reused from file to file, close. Only a file that passes the
 * prefilter is copied out and decoded. Measured on 20,000 files: 0.33 s, against 0.76 s for
 * readFileSync + lstat (and 0.5 s for a two-threaded `git grep -l`).
 */
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const SNIFF = 8000;
const NOFOLLOW = constants.O_NOFOLLOW;
const INITIAL = 256 * 1024;
const MAX_KEPT = 4 * 1024 * 1024;
let scratch = Buffer.allocUnsafe(INITIAL);

export type TextFile = { text: string; buffer: Buffer; encoding?: 'latin1' } | { skipped: 'binary' | 'not-utf8' | 'symlink' | 'missing' };

/**
 * The file's text, or why it is skipped; undefined when `prefilter` is given and the file contains
 * none of it (one string, or any of several). `latin1`: a file that is not UTF-8 is read as
 * Latin-1 (one character per byte) instead of skipped — for checks, which must see every file
 * and never write one back.
 */
export function readTextFile(absolute: string, prefilter?: string | readonly string[], options: { latin1?: boolean } = {}): TextFile | undefined {
  const bytes = readBytes(absolute);
  if ('skipped' in bytes) return bytes;
  // The cheap test first: most files in a large repository do not contain the literal at all.
  if (prefilter !== undefined && !containsAny(bytes.view, prefilter, options.latin1)) return undefined;
  if (bytes.view.subarray(0, SNIFF).includes(0)) return { skipped: 'binary' };
  const buffer = Buffer.from(bytes.view);
  try {
    return { text: decoder.decode(buffer), buffer };
  } catch {
    return options.latin1 ? { text: buffer.toString('latin1'), buffer, encoding: 'latin1' } : { skipped: 'not-utf8' };
  }
}

function containsAny(view: Buffer, prefilter: string | readonly string[], latin1 = false): boolean {
  const contains = (text: string) => view.includes(text) || (latin1 && !ASCII.test(text) && view.includes(text, 0, 'latin1'));
  return typeof prefilter === 'string' ? contains(prefilter) : prefilter.some(contains);
}

const ASCII = /^[\x00-\x7f]*$/;

/** The file's bytes in a view that is valid only until the next call. */
function readBytes(absolute: string): { view: Buffer } | { skipped: 'symlink' | 'missing' } {
  if (NOFOLLOW === undefined) return readFollowing(absolute);
  // One huge file must not pin its buffer for the rest of the process.
  if (scratch.length > MAX_KEPT) scratch = Buffer.allocUnsafe(INITIAL);
  let fd: number;
  try {
    fd = openSync(absolute, constants.O_RDONLY | NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { skipped: 'symlink' };
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return { skipped: 'missing' };
    throw error;
  }
  try {
    let length = readInto(fd, 0);
    while (length === scratch.length) {
      // Larger than the buffer: grow it past the file's size, so that a full buffer means it grew.
      const grown = Buffer.allocUnsafe(Math.max(fstatSync(fd).size + 1, scratch.length * 2));
      scratch.copy(grown, 0, 0, length);
      scratch = grown;
      length = readInto(fd, length);
    }
    return { view: scratch.subarray(0, length) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') return { skipped: 'missing' };
    throw error;
  } finally {
    closeSync(fd);
  }
}

/** Read from `offset` until the buffer is full or the file ends; returns the new length. */
function readInto(fd: number, offset: number): number {
  let length = offset;
  while (length < scratch.length) {
    const count = readSync(fd, scratch, length, scratch.length - length, null);
    if (count === 0) break;
    length += count;
  }
  return length;
}

/** Where O_NOFOLLOW does not exist (Windows): read, then ask whether it was a link. */
function readFollowing(absolute: string): { view: Buffer } | { skipped: 'symlink' | 'missing' } {
  let buffer: Buffer;
  try {
    buffer = readFileSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { skipped: 'missing' };
    if (code === 'ENOENT' || code === 'ENOTDIR') return isSymlink(absolute) ? { skipped: 'symlink' } : { skipped: 'missing' };
    throw error;
  }
  return isSymlink(absolute) ? { skipped: 'symlink' } : { view: buffer };
}

function isSymlink(absolute: string): boolean {
  try {
    return lstatSync(absolute).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Replace a file's content in place: write over it, then cut it to the new length. Truncating to
 * zero first (what writeFileSync does) makes ext4 flush the file's blocks on close (its
 * auto_da_alloc safeguard for rewritten files): 1.2–1.5 s for 5,000 rewritten files here, against
 * 0.1–0.2 s in place. Same inode and mode as before — except for a file with other hard links
 * (one may be outside the tree, and no checkpoint would hold what was written there): it gets a
 * new inode of its own, with the same mode, as git's checkout gives it.
 */
export function writeTextFile(absolute: string, text: string | Buffer): void {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let fd: number;
  try {
    fd = openSync(absolute, constants.O_WRONLY | (NOFOLLOW ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    writeFileSync(absolute, bytes);
    return;
  }
  let linkedMode: number | undefined;
  try {
    const stat = fstatSync(fd);
    if (stat.nlink > 1) linkedMode = stat.mode & 0o7777;
    else {
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written, written);
      ftruncateSync(fd, bytes.length);
    }
  } finally {
    closeSync(fd);
  }
  if (linkedMode !== undefined) replaceLinked(absolute, bytes, linkedMode);
}

/** A new file beside it, renamed over it: the other links keep the old content. */
function replaceLinked(absolute: string, bytes: Buffer, mode: number): void {
  const temporary = `${absolute}.phasegate-${process.pid}.tmp`;
  try {
    writeFileSync(temporary, bytes, { flag: 'wx' });
    chmodSync(temporary, mode);
    renameSync(temporary, absolute);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
