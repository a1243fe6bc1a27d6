import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GitCommandError, RefusedError, errorMessage } from '../errors.js';
import { reasons, type GitClient } from './client.js';

/**
 * Checkpoints are signed when the user's git signs (commit.gpgsign, tag.gpgsign): a team that
 * requires signed commits must not get unsigned ones from phasegate. A signer that cannot sign here
 * (no key, no agent, a prompt nobody answers) would otherwise fail at the first checkpoint, after
 * the branch and files have changed; so it is tried once before anything changes.
 */
export const SIGNING = /^(commit\.gpgsign|tag\.gpgsign|tag\.forcesignannotated)$/;

/** git's built-in empty tree: a commit of it needs no object from the repository. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** The signing settings that are on; each level (system, global, local, -c) overrides the one before. */
export async function signingSettings(git: GitClient): Promise<string[]> {
  // Exit 1 means none is set.
  const output = await git.run(['config', '--type=bool', '--get-regexp', SIGNING.source]).catch(() => '');
  return signingOn(output.split('\n').map((line) => line.split(' ') as [string, string]));
}

/** Whether the user's git signs commits: `commit-tree` does not follow commit.gpgsign itself, so its callers pass -S. */
export async function signsCommits(git: GitClient): Promise<boolean> {
  return (await signingSettings(git)).includes('commit.gpgsign');
}

/** The settings that are on, from `[key, value]` pairs in git's order (values as `--type=bool` gives them). */
export function signingOn(entries: readonly (readonly [string, string | undefined])[]): string[] {
  const last = new Map(entries.filter(([key]) => SIGNING.test(key)));
  return [...last].filter(([, value]) => value === 'true').map(([key]) => key);
}

/**
 * Refuse (exit 2) when git is set to sign but cannot; the trial object goes to a scratch folder.
 * `settings` may be read ahead (run-plan.ts does, beside other questions): configuration is not
 * something a run changes.
 */
export async function refuseUnusableSigning(git: GitClient, settingsRead: Promise<string[]> = signingSettings(git)): Promise<void> {
  const settings = await settingsRead;
  if (settings.length === 0) return;
  const objects = await mkdtemp(path.join(os.tmpdir(), `phasegate-sign-${process.pid}-`));
  try {
    await git.run(['commit-tree', '-S', EMPTY_TREE, '-m', 'phasegate: can git sign here?'], { env: { GIT_OBJECT_DIRECTORY: objects } });
  } catch (error) {
    const reason = error instanceof GitCommandError ? reasons(error.stderr) : errorMessage(error);
    const off = settings.map((setting) => `git config ${setting} false`).join('; ');
    throw new RefusedError(`git is configured to sign (${settings.join(', ')}) but cannot sign here (${reason}); nothing was changed: make signing work without a prompt, or turn it off for this repository: ${off}`);
  } finally {
    await rm(objects, { recursive: true, force: true });
  }
}
