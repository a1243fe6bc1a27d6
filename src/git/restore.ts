import type { GitClient } from './client.js';
import { untrackedLeftovers } from './state.js';

/** Putting the working tree back: the only place phasegate discards changes. */

/**
 * Make HEAD, index and working tree equal `commit`, and remove untracked files the phase created.
 * Ignored files are left alone (build caches, virtualenvs); rollback steps deal with those.
 * Returns what is untracked afterwards all the same (what clean skips: a nested repository).
 */
export async function resetTo(git: GitClient, commit: string, keep: readonly string[] = []): Promise<string[]> {
  await git.run(['reset', '--hard', '--quiet', commit]);
  // Asked first: after a reset there is usually nothing untracked, and then one walk of the tree
  // (~40 ms at 20,000 files) answers both "anything to clean?" and "anything left?".
  if ((await untrackedLeftovers(git, keep)).length === 0) return [];
  await git.run(['clean', '-d', '--force', '--quiet', '--', '.', ...keep.map((file) => `:(exclude,literal)${file}`)]);
  return untrackedLeftovers(git, keep);
}

export async function checkoutBranch(git: GitClient, branch: string): Promise<void> {
  await git.run(['checkout', '--quiet', branch]);
}

export async function createBranch(git: GitClient, branch: string, from: string): Promise<void> {
  await git.run(['checkout', '--quiet', '-b', branch, from]);
}

/**
 * Undo `createBranch` before anything was committed on it: check out `back` (a branch, or the
 * start commit when HEAD was detached) and delete the branch only if it still points where it was
 * made, so no commit can be lost.
 */
export async function removeNewBranch(git: GitClient, branch: string, back: string): Promise<void> {
  const from = (await git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).catch(() => '')).trim();
  if (!from) return;
  if ((await git.run(['symbolic-ref', '--quiet', 'HEAD']).catch(() => '')).trim() === `refs/heads/${branch}`) {
    await git.run(['checkout', '--quiet', ...(/^[0-9a-f]{40,64}$/.test(back) ? ['--detach'] : []), back, '--']);
  }
  await git.run(['update-ref', '-d', `refs/heads/${branch}`, from]);
}
