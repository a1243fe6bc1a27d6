import type { GitClient } from './client.js';
import { keepOptions, untrackedLeftovers } from './state.js';

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
  await git.run(['clean', '-d', '--force', '--quiet', ...keepOptions(keep)]);
  return untrackedLeftovers(git, keep);
}

export async function checkoutBranch(git: GitClient, branch: string): Promise<void> {
  await git.run(['checkout', '--quiet', branch]);
}

export async function createBranch(git: GitClient, branch: string, from: string): Promise<void> {
  await git.run(['checkout', '--quiet', '-b', branch, from]);
}
