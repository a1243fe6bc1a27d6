import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCK_WAIT_MS, type GitClient } from './client.js';
import { gitPaths } from './paths.js';

/**
 * git's lock files (`index.lock`, `HEAD.lock`, a ref's `.lock`) left behind by a git that was
 * killed together with an interrupted phasegate (kill -9 of its process group, a crash of the
 * machine's session). Left there, they make the recovery itself fail; the user would have to find
 * and remove them by hand.
 *
 * Called only when the previous phasegate is known to be dead (its lock was taken over, or its
 * journal says it was interrupted). A lock is removed only when no git process is running in this
 * repository (its working tree or its git folders), read from /proc: a git an editor or IDE runs
 * right now keeps its lock, and the usual wait-then-refuse applies. Without /proc nothing is
 * removed.
 */
export async function removeStaleGitLocks(git: GitClient): Promise<string[]> {
  if (!existsSync('/proc/self/cwd')) return [];
  const { gitDir, commonDir: common, indexLock } = await gitPaths(git);
  const present = () => [indexLock, path.join(gitDir, 'HEAD.lock'), path.join(common, 'packed-refs.lock'), ...refLocks(path.join(common, 'refs'))]
    .filter((file, index, all) => all.indexOf(file) === index && existsSync(file));
  // /proc gives real paths; the repository may be reached through a symlink.
  const folders = [git.root, gitDir, common].map((dir) => realpathSync(dir));
  // A git the dead phasegate started may still be finishing (it was not in the killed group):
  // give it as long as any lock wait before leaving its locks to the usual wait-then-refuse.
  for (let waited = 0; ; waited += 100) {
    const locks = present();
    if (locks.length === 0) return [];
    if (!gitRunningIn(folders)) {
      for (const lock of locks) rmSync(lock, { force: true });
      return locks;
    }
    if (waited >= LOCK_WAIT_MS) return [];
    await sleep(100);
  }
}

/** `*.lock` files under refs/ (a killed `update-ref` or `tag`). */
function refLocks(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.lock')) found.push(full);
    }
  };
  walk(dir);
  return found;
}

/**
 * Is a git process working in one of these folders? A git process whose folder cannot be read
 * (another user's) counts as one: only a lock that surely has no owner is removed.
 */
function gitRunningIn(folders: string[]): boolean {
  const inside = (dir: string) => folders.some((folder) => dir === folder || dir.startsWith(`${folder}${path.sep}`));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let name: string;
    try {
      name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue; // gone meanwhile
    }
    if (!name.startsWith('git')) continue;
    try {
      if (isZombie(entry)) continue;
      if (inside(readlinkSync(`/proc/${entry}/cwd`))) return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return true;
    }
  }
  return false;
}

function isZombie(pid: string): boolean {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

/** How the removal is told: one line. */
export function describeRemovedLocks(root: string, locks: string[]): string {
  const names = locks.map((lock) => path.relative(root, lock) || lock);
  return `removed ${names.join(', ')} left by a git that died with the interrupted phasegate (no git is running in this repository)`;
}
