import type { GitClient } from './client.js';

/** Where git keeps a repository's files, all absolute. */
export interface GitPaths {
  /** This worktree's git folder (`.git`, or `.git/worktrees/<name>` in a linked worktree). */
  gitDir: string;
  /** The folder shared by all worktrees (`.git`): refs, objects, phasegate's state. */
  commonDir: string;
  /** The index lock git takes to write this worktree's index. */
  indexLock: string;
}

/** This worktree's index file: beside its lock, by git's own naming. */
export function indexFile(paths: GitPaths): string {
  return paths.indexLock.slice(0, -'.lock'.length);
}

const asked = new Map<string, Promise<GitPaths>>();

/**
 * One `rev-parse` answers all three, and they cannot change while a command runs: the state
 * folder, the index-lock check and the stale-lock clean-up each used to start their own git for
 * them. Remembered per repository root for the life of the process.
 */
export function gitPaths(git: GitClient): Promise<GitPaths> {
  let paths = asked.get(git.root);
  if (!paths) {
    paths = readGitPaths(git);
    asked.set(git.root, paths);
    // A failed question (not a repository yet) is asked again next time.
    paths.catch(() => asked.delete(git.root));
  }
  return paths;
}

/** Paths learnt another way (repository-probe.ts asks them with the top folder): not asked again. */
export function rememberGitPaths(root: string, paths: GitPaths): void {
  if (!asked.has(root)) asked.set(root, Promise.resolve(paths));
}

async function readGitPaths(git: GitClient): Promise<GitPaths> {
  const output = await git.run(['rev-parse', '--path-format=absolute', '--absolute-git-dir', '--git-common-dir', '--git-path', 'index.lock']);
  const [gitDir, commonDir, indexLock] = output.trim().split('\n');
  return { gitDir, commonDir, indexLock };
}
