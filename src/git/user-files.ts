import { lstatSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { commitFilesOnNewRef } from './checkpoint.js';
import type { GitClient } from './client.js';
import { gitPaths } from './paths.js';

/** Larger files are not copied (a database dump kept beside the code): copying them would cost more than the phase. */
const LARGEST_COPIED = 16 * 1024 * 1024;
/** More files than this (an untracked data folder) and none is copied (README, "Nothing is lost"). */
const MOST_COPIED = 10_000;

/**
 * Copies of the files a user keeps beside the tracked ones, taken before a phase runs commands: its
 * untracked files, and the ignored files git lists one by one (`.env`, a local config — not the
 * contents of ignored folders such as node_modules, which git lists as the folder). A command may
 * change or remove them; git's reset restores only tracked files, so without these a failed phase
 * lost them. The copies are blobs in git's object store, listed in a scratch index of their own
 * (the real index never sees them), which also records each file's stat to tell what changed.
 */
export class UserFilesCopy {
  private constructor(private readonly scratch: GitClient, readonly files: readonly string[]) {}

  static async take(git: GitClient): Promise<UserFilesCopy | undefined> {
    const [untracked, ignored] = await Promise.all([
      git.entries(['ls-files', '-z', '--others', '--exclude-standard']),
      git.entries(['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory', '--no-empty-directory']),
    ]);
    // A folder entry is a nested repository or a whole ignored folder: neither is copied.
    const candidates = [...untracked, ...ignored].filter((file) => !file.endsWith('/'));
    const files = candidates.filter((file) => copyable(path.join(git.root, file)));
    if (files.length === 0 || files.length > MOST_COPIED) return undefined;
    const index = path.join((await gitPaths(git)).commonDir, 'phasegate', 'user-files.index');
    await rm(index, { force: true });
    const scratch = git.withIndexFile(index);
    await scratch.run(['update-index', '--add', '-z', '--stdin'], { input: files.map((file) => `${file}\0`).join('') });
    return new UserFilesCopy(scratch, files);
  }

  /**
   * Put back every copied file a command changed or removed; the changed versions are first kept
   * on `keep.ref`. Returns what was given back and where the commands' versions are.
   */
  async giveBack(git: GitClient, keep: { ref: string; message: string }): Promise<{ restored: string[]; keptAt?: string }> {
    const changed = await this.scratch.entries(['diff-files', '-z', '--name-only']);
    if (changed.length === 0) return { restored: [] };
    const present = changed.filter((file) => exists(path.join(git.root, file)));
    const keptAt = present.length > 0 ? await commitFilesOnNewRef(git, present, keep.ref, keep.message) : undefined;
    await this.scratch.run(['checkout-index', '--force', '-z', '--stdin'], { input: changed.map((file) => `${file}\0`).join('') });
    return { restored: changed, keptAt };
  }

  async drop(): Promise<void> {
    if (this.scratch.scratchIndex) await rm(this.scratch.scratchIndex, { force: true });
  }
}

function copyable(file: string): boolean {
  try {
    const stat = lstatSync(file);
    return (stat.isFile() || stat.isSymbolicLink()) && stat.size <= LARGEST_COPIED;
  } catch {
    return false;
  }
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
