import type { GitClient } from './client.js';

/** Putting the working tree back: the only place phasegate discards changes. */

/**
 * Make HEAD, index and working tree equal `commit`, and remove untracked files the phase created.
 * Ignored files are left alone (build caches, virtualenvs); rollback steps deal with those.
 */
export async function resetTo(git: GitClient, commit: string, keep: readonly string[] = []): Promise<void> {
  await git.run(['reset', '--hard', '--quiet', commit]);
  await git.run(['clean', '-d', '--force', '--quiet', '--', '.', ...keep.map((file) => `:(exclude,literal)${file}`)]);
}

export async function checkoutBranch(git: GitClient, branch: string): Promise<void> {
  await git.run(['checkout', '--quiet', branch]);
}

export async function createBranch(git: GitClient, branch: string, from: string): Promise<void> {
  await git.run(['checkout', '--quiet', '-b', branch, from]);
}
