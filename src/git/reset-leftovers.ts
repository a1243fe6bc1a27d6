import { existsOnDisk } from './on-disk.js';
import path from 'node:path';
import type { GitClient } from './client.js';
import { untrackedFiles } from './state.js';

/**
 * Where a reset can leave untracked files behind, so that the check after it need not walk the
 * whole tree (`ls-files --others` on 20,000 files cost 35–140 ms right after a reset had written
 * thousands of them, a third of rollback's budget over a plain `git reset --hard`).
 *
 * `git reset --hard` from a clean tree writes only paths the target tracks and deletes only the
 * paths that `from` tracks and the target does not. Every untracked file elsewhere was there when
 * the command started (it is in `keep`, never removed) or was made by someone else meanwhile (not
 * phasegate's to remove). So what the reset may have left is among the deleted paths: a file it
 * could not delete, a nested repository it does not delete.
 */
export async function pathsRemovedBetween(git: GitClient, from: string, to: string): Promise<string[]> {
  return git.entries(['diff-tree', '-r', '--name-only', '--no-renames', '--diff-filter=D', '-z', from, to, '--']);
}

/** More than this many leftovers (a failing reset, not the usual case): one walk of the tree is simpler. */
const MAX_PATHSPECS = 200;

/**
 * The untracked files (as `ls-files --others --exclude-standard` names them, a nested repository
 * as `dir/`) among `removed` that are still there after the reset. Usually none exists, and then
 * git is not asked at all; an ignored leftover stays unlisted, as in a walk of the whole tree.
 */
export async function untrackedLeftovers(git: GitClient, removed: readonly string[], keep: readonly string[]): Promise<string[]> {
  const present = removed.filter((file) => existsOnDisk(path.join(git.root, file)));
  if (present.length === 0) return [];
  if (present.length > MAX_PATHSPECS) return untrackedFiles(git, keep);
  return untrackedFiles(git, keep, present);
}
