import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GitClient } from './client.js';
import { tagRef } from './names.js';

/** Writing checkpoints: commits, tags and the refs that keep failed or undone work reachable. */

/** Exclude pathspecs for files phasegate must never commit on the user's behalf (an untracked plan). */
function pathspec(exclude: readonly string[]): string[] {
  return ['--', '.', ...exclude.map((file) => `:(exclude,literal)${file}`)];
}

export async function stageAll(git: GitClient, exclude: readonly string[] = []): Promise<void> {
  await git.run(['add', '-A', ...pathspec(exclude)]);
}

/** Stage everything and return the tree it makes, without committing. */
export async function stagedTree(git: GitClient, exclude: readonly string[] = []): Promise<string> {
  await stageAll(git, exclude);
  return (await git.run(['write-tree'])).trim();
}

export async function changedBetweenTrees(git: GitClient, from: string, to: string): Promise<string[]> {
  if (from === to) return [];
  return git.entries(['diff-tree', '-r', '-z', '--name-only', '--no-renames', from, to]);
}

/**
 * Commit everything in the working tree as one checkpoint commit. Hooks are skipped: the plan's
 * checks are the validation, and a user's pre-commit hook must not rewrite a checkpoint.
 */
export async function commitAll(git: GitClient, message: string, exclude: readonly string[] = []): Promise<string> {
  await stageAll(git, exclude);
  await git.run(['commit', '--quiet', '--no-verify', '--allow-empty', '--cleanup=verbatim', '-m', message]);
  return (await git.run(['rev-parse', 'HEAD'])).trim();
}

/** Annotated tag; the message (results as JSON) goes through a file so its size never hits argv limits. */
export async function createTag(git: GitClient, name: string, commit: string, message: string, { force = false } = {}): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'phasegate-tag-'));
  try {
    const file = path.join(dir, 'message');
    await writeFile(file, message);
    await git.run(['tag', '--annotate', ...(force ? ['--force'] : []), '--cleanup=verbatim', '--file', file, name, commit]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function deleteTag(git: GitClient, name: string): Promise<void> {
  await git.run(['update-ref', '-d', tagRef(name)]);
}

export async function updateRef(git: GitClient, ref: string, commit: string, reason = 'phasegate'): Promise<void> {
  await git.run(['update-ref', '-m', reason, ref, commit]);
}

export async function deleteRef(git: GitClient, ref: string): Promise<void> {
  await git.run(['update-ref', '-d', ref]);
}

/**
 * Record the working tree as a commit (parent: HEAD) so that half-done work can be kept on a ref.
 * It goes through the real index: callers reset the tree right afterwards anyway.
 */
export async function snapshotWorkingTree(git: GitClient, message: string, exclude: readonly string[] = []): Promise<string> {
  const tree = await stagedTree(git, exclude);
  return (await git.run(['commit-tree', tree, '-p', 'HEAD', '-m', message])).trim();
}
