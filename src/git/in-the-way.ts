import { lstatSync } from 'node:fs';
import path from 'node:path';
import type { GitClient } from './client.js';
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
