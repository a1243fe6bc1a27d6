import { existsSync } from 'node:fs';
import path from 'node:path';
import { RefusedError } from '../errors.js';
import type { GitClient } from './client.js';
import { gitPaths } from './paths.js';

/**
 * git operations that stop half-way and wait for the user, told by the file each keeps in this
 * worktree's git folder, and how to finish or leave each.
 */
const OPERATIONS: readonly { file: string; what: string; leave: string }[] = [
  { file: 'rebase-merge', what: 'a rebase', leave: 'git rebase --continue, or git rebase --abort' },
  { file: 'rebase-apply', what: 'a rebase (or git am)', leave: 'git rebase --continue (git am --continue), or --abort' },
  { file: 'MERGE_HEAD', what: 'a merge', leave: 'git commit to finish it, or git merge --abort' },
  { file: 'CHERRY_PICK_HEAD', what: 'a cherry-pick', leave: 'git cherry-pick --continue (--skip), or git cherry-pick --abort' },
  { file: 'REVERT_HEAD', what: 'a revert', leave: 'git revert --continue (--skip), or git revert --abort' },
  { file: 'BISECT_LOG', what: 'a bisect', leave: 'git bisect reset' },
];

/**
 * Refuse (exit 2) to start while one is under way, even on a clean tree: a checkpoint committed
 * there would become part of the user's rebase or cherry-pick (or lose the merge's second parent),
 * and a new branch or a reset would take HEAD away from it. Called after phasegate's own recovery,
 * which finishes what a killed phasegate left (a sync's cherry-pick included).
 */
export async function refuseOperationInProgress(git: GitClient): Promise<void> {
  const { gitDir } = await gitPaths(git);
  const under = OPERATIONS.find((operation) => existsSync(path.join(gitDir, operation.file)));
  if (under) throw new RefusedError(`${under.what} is in progress in this repository; nothing was changed: finish or leave it first (${under.leave})`);
}
