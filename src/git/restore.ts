import { readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { commitFilesOnNewRef, createRef, snapshotWorkingTree } from './checkpoint.js';
import type { GitClient } from './client.js';
import { untrackedLeftovers } from './reset-leftovers.js';
import { currentBranch, resolveCommit, uncommittedChanges, untrackedFiles } from './state.js';

/**
 * Putting the working tree back: the only place phasegate discards changes. Nothing the user had
 * before the command may go (SPEC "Nothing is lost"): an untracked file is removed only when it is
 * not in `keep` (what was untracked when the command started), one file at a time — never
 * `git clean -d`, which removes a whole untracked folder even when a file in it is excluded — and
 * only after it is kept on a `discarded` ref. Ignored files are never touched.
 */
export interface Discard {
  /** Untracked files that were there before the command: never kept, never removed. */
  keep: readonly string[];
  /** A new ref (`discardedRef`) to keep what is removed on; `-2`… is added if it exists. */
  ref: string;
  /** The kept commit's message: what the files are and why they were discarded. */
  message: string;
}

export interface ResetOutcome {
  /** Untracked paths not in `keep` still there afterwards: a nested repository, or files that could not be kept. */
  left: string[];
  /** Untracked files removed, each kept first at `keptAt`. */
  removed: string[];
  keptAt?: string;
}

/**
 * Make HEAD, index and working tree equal `commit`, then remove the untracked files the command
 * created. `removed`: the paths the reset deletes (`pathsRemovedBetween`, read while it runs), when the caller knows
 * nothing else can have appeared since it started (a rollback from a clean tree): only they are
 * looked at afterwards, instead of a walk of the whole tree (reset-leftovers.ts).
 */
export async function resetTo(git: GitClient, commit: string, discard: Discard, removed?: Promise<readonly string[]>): Promise<ResetOutcome> {
  // git's parallel checkout (a worker per core): writing the files back is most of a reset's cost.
  await git.run(['-c', 'checkout.workers=0', 'reset', '--hard', '--quiet', commit]);
  // After a reset there is usually nothing new, and one walk of the tree answers that. `removed`
  // is awaited only now: a tree diff (objects only) runs beside the reset on the other core.
  const fresh = removed ? await untrackedLeftovers(git, await removed, discard.keep) : await untrackedFiles(git, discard.keep);
  // A nested repository is listed as `dir/`: it cannot be kept in a commit, so it is never removed.
  const left = fresh.filter((file) => file.endsWith('/'));
  const files = fresh.filter((file) => !file.endsWith('/'));
  if (files.length === 0) return { left, removed: [] };
  let keptAt: string;
  try {
    keptAt = await commitFilesOnNewRef(git, files, discard.ref, discard.message);
  } catch {
    // Not kept, so not removed: the caller reports them as left over.
    return { left: [...left, ...files], removed: [] };
  }
  removeFiles(git.root, files);
  return { left, removed: files, keptAt };
}

/**
 * Keep everything that differs from HEAD (tracked changes, new untracked files) on a new
 * `discard.ref`, then reset to `commit`. For what a check or a preflight command left behind.
 * Returns the changes (as `git status` shows them) and where they are kept.
 */
export async function discardWorkingTree(git: GitClient, commit: string, discard: Discard): Promise<{ changes: string[]; keptAt?: string; left: string[] }> {
  const changes = await uncommittedChanges(git, discard.keep);
  if (changes.length === 0) return { changes, left: [] };
  const keptAt = await createRef(git, discard.ref, await snapshotWorkingTree(git, discard.message, discard.keep), discard.message.split('\n')[0]);
  const reset = await resetTo(git, commit, discard);
  return { changes, keptAt, left: reset.left };
}

/**
 * Put HEAD back on `branch` (or detached at `commit` when the run had no branch) without touching
 * index or working tree, after a command switched it: the reset that follows then moves the right
 * branch. A branch the command created is left as it is.
 */
export async function pointHeadAt(git: GitClient, branch: string | null, commit: string): Promise<void> {
  if (branch) await git.run(['symbolic-ref', '-m', 'phasegate: back to the migration branch', 'HEAD', `refs/heads/${branch}`]);
  else await git.run(['update-ref', '--no-deref', '-m', 'phasegate: back to the checkpoint', 'HEAD', commit]);
}

/** What to tell a user who must finish a restore by hand: never `git clean -fd` (it takes their untracked folders too). */
export function restoreByHand(commit: string): string {
  return `git reset --hard ${commit}, then delete only the files the phase created (\`git status\` lists them; do not run \`git clean -fd\`, which would also delete your own untracked folders)`;
}

export async function checkoutBranch(git: GitClient, branch: string): Promise<void> {
  await git.run(['checkout', '--quiet', branch]);
}

/**
 * A new branch at HEAD, checked out. `git switch -c` without a start point leaves index and tree
 * alone (nothing in them changes); `git checkout -b <name> HEAD` compared the whole index first,
 * ~50 ms at 20,000 files.
 */
export async function createBranchAtHead(git: GitClient, branch: string): Promise<void> {
  await git.run(['switch', '--quiet', '--create', branch]);
}

/** Remove files, then the folders that removing them left empty (never the repository root). */
function removeFiles(root: string, files: readonly string[]): void {
  const folders = new Set<string>();
  for (const file of files) {
    try {
      unlinkSync(path.join(root, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (let dir = path.posix.dirname(file); dir !== '.' && dir !== '/' && dir !== ''; dir = path.posix.dirname(dir)) folders.add(dir);
  }
  // Deepest first, so a parent is looked at after its children.
  for (const dir of [...folders].sort((a, b) => b.split('/').length - a.split('/').length)) {
    const absolute = path.join(root, dir);
    try {
      if (readdirSync(absolute).length === 0) rmdirSync(absolute);
    } catch {
      // Gone already, or not a folder we may empty: leave it.
    }
  }
}

/**
 * Undo `createBranch` before anything was committed on it: check out `back` (a branch, or the
 * start commit when HEAD was detached) and delete the branch only if it still points where it was
 * made, so no commit can be lost.
 */
export async function removeNewBranch(git: GitClient, branch: string, back: string): Promise<void> {
  const from = await resolveCommit(git, `refs/heads/${branch}`);
  if (!from) return;
  if ((await currentBranch(git)) === branch) {
    await git.run(['checkout', '--quiet', ...(/^[0-9a-f]{40,64}$/.test(back) ? ['--detach'] : []), back, '--']);
  }
  await git.run(['update-ref', '-d', `refs/heads/${branch}`, from]);
}

/** Back to a starting point: its branch, or its commit with a detached HEAD. */
export async function checkoutStart(git: GitClient, start: { branch?: string; commit: string }): Promise<void> {
  await git.run(['checkout', '--quiet', ...(start.branch ? [start.branch] : ['--detach', start.commit])]);
}
