import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { RefusedError } from '../errors.js';
import { LOCK_WAIT_MS, type GitClient } from './client.js';
import { gitPaths } from './paths.js';

/**
 * A `.git/index.lock` that stays is a git that is still running (an editor's, a long `git add`) or
 * one that crashed. Every index write of a phase would wait for it and then fail, and so would the
 * revert; so a run waits for it as long as a single command would, then refuses before changing
 * anything. A lock that comes and goes (an editor polling `git status`) is handled by the client.
 * Says whether it waited.
 */
export async function refuseHeldIndexLock(git: GitClient): Promise<{ waited: boolean }> {
  const lock = (await gitPaths(git)).indexLock;
  let waited = 0;
  for (; existsSync(lock); waited += 100) {
    if (waited >= LOCK_WAIT_MS) {
      throw new RefusedError(`${lock} exists: another git process is using this repository (an editor or IDE?); nothing was changed: let it finish, or if no git is running, remove that file`);
    }
    await sleep(100);
  }
  // Another git ran meanwhile: what was asked before may have changed.
  return { waited: waited > 0 };
}
