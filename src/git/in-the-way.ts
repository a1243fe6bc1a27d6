import { lstatSync } from 'node:fs';
import path from 'node:path';
import type { GitClient } from './client.js';
import { RefusedError } from '../errors.js';
import { firstFew } from '../words.js';
import { checkoutBranch } from './restore.js';
import { filesAddedBetween } from './state.js';

/**
 * What is on disk, not tracked, where moving the working tree from `from` to `to` would write:
 * a file or folder at a path `to` adds, or a file where `to` adds a folder. Git refuses to
 * overwrite an untracked file there but silently replaces an ignored one (it counts ignored files
 * expendable; phasegate never changes them), so a checkout or `read-tree -u -m` asks this first.
 * A folder on the way to an added file is fine; what is tracked at the path (a file turned into a
 * folder, or back) is git's to replace.
 */
export async function untrackedInTheWay(git: GitClient, from: string, to: string): Promise<string[]> {
  const added = await filesAddedBetween(git, from, to);
  const addedSet = new Set(added);
  const paths = new Set<string>();
  for (const file of added) {
    const parts = file.split('/');
    for (let depth = 1; depth <= parts.length; depth++) paths.add(parts.slice(0, depth).join('/'));
  }
  const onDisk = [...paths].filter((candidate) => {
    const stat = statOf(path.join(git.root, candidate));
    return stat !== undefined && !(stat.isDirectory() && !addedSet.has(candidate));
  });
  if (onDisk.length === 0) return [];
  const tracked = await git.entries(['ls-files', '-z', '--', ...onDisk.map((candidate) => `:(literal)${candidate}`)]);
  return onDisk.filter((candidate) => !tracked.some((file) => file === candidate || file.startsWith(`${candidate}/`)));
}

function statOf(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Check out an existing branch, refusing first (exit 2, nothing changed) when that would write
 * over a file that is not tracked here: git refuses an untracked one itself, but replaces an
 * ignored one (a local config the branch tracks, say) without a word.
 */
export async function switchToBranch(git: GitClient, branch: string, what = 'the migration branch'): Promise<void> {
  const inTheWay = await untrackedInTheWay(git, 'HEAD', `refs/heads/${branch}`);
  if (inTheWay.length > 0) {
    throw new RefusedError(`switching to ${what} ${branch} would overwrite file(s) that are not tracked here: ${firstFew(inTheWay, 5)}; move them away first (nothing was changed)`);
  }
  await checkoutBranch(git, branch);
}
