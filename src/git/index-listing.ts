import { closeSync, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import type { GitClient } from './client.js';
import { gitPaths, indexFile } from './paths.js';

/**
 * `ls-files` listings of the index, remembered with the index file's identity when they were
 * asked. git never rewrites an index in place: every writer (git, and the libraries editors use)
 * writes `index.lock` and renames it over the index, so a file with the same inode, size, times
 * and checksum is the index that was listed. A run lists the index once at start (skip-worktree
 * entries, whether the plan is tracked) and its first phase needs the same list again; when
 * nothing has written the index since, that phase takes it without another git process.
 */
interface Listing {
  entries: Promise<string[]>;
  /** The index file as it was just before git was asked; undefined when it could not be read. */
  identity: string | undefined;
}

const listings = new WeakMap<GitClient, Listing>();

/**
 * Every tracked file as `ls-files -v` lists it: a one-letter tag, a space, the path (`H a.py`,
 * `S b.py` skip-worktree, `M c.py` once per stage of an unmerged path; the letter in lower case
 * when the file is marked assume-unchanged).
 */
export function taggedIndexEntries(git: GitClient): Promise<string[]> {
  const listing: Listing = { entries: Promise.resolve([]), identity: undefined };
  listing.entries = (async () => {
    // Read before git is asked: if the index changes after this, the identity no longer matches and the listing is not reused.
    listing.identity = await identityOf(git);
    return git.entries(['ls-files', '-v', '-z']);
  })();
  if (!git.scratchIndex) listings.set(git, listing);
  return listing.entries;
}

/** Every tracked path (`ls-files --cached`: each stage of an unmerged path once), from the start listing while the index is the one it listed. */
export async function trackedPaths(git: GitClient): Promise<string[]> {
  const listing = listings.get(git);
  if (listing && !git.scratchIndex) {
    const entries = await listing.entries.catch(() => undefined);
    if (entries && listing.identity !== undefined && listing.identity === await identityOf(git)) return entries.map((entry) => entry.slice(2));
  }
  return git.entries(['ls-files', '-z', '--cached']);
}

/**
 * The index file's inode, size and times, and its last 20 bytes: git ends every index it writes
 * with the checksum of its content, so a new index that happened to get the old inode, the same
 * size and the same clock tick still tells itself apart.
 */
async function identityOf(git: GitClient): Promise<string | undefined> {
  const file = indexFile(await gitPaths(git));
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    const stats: BigIntStats = fstatSync(descriptor, { bigint: true });
    const trailer = Buffer.alloc(20);
    const read = stats.size >= 20n ? readSync(descriptor, trailer, 0, 20, Number(stats.size - 20n)) : 0;
    return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}:${trailer.subarray(0, read).toString('hex')}`;
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}
