import os from 'node:os';
import { removeScratchIndex } from '../../git/checkpoint.js';
import type { GitClient } from '../../git/client.js';
import { gitPaths } from '../../git/paths.js';
import { describeRemovedLocks, removeStaleGitLocks } from '../../git/stale-locks.js';
import { stopLeftoverCommands } from '../../process/leftovers.js';
import type { LockOwner } from '../../state/lock.js';
import { removeScratchOf } from '../scratch/folder.js';

/**
 * Before a recovery, what a dead phasegate left running or locked: the commands it started that
 * are still alive are stopped first (a check still writing files, or running git), then git lock
 * files a git killed with it left are removed. `deadOwner` is the lock taken over; `interrupted`
 * says a journal is there (the previous phasegate died, even if someone removed its lock).
 */
export async function cleanUpAfterDeadPhasegate(
  world: { git: GitClient; root: string },
  deadOwner: LockOwner | undefined,
  interrupted: boolean,
  notice: (text: string) => void,
): Promise<void> {
  if (!deadOwner && !interrupted) return;
  const stopped = await stopLeftoverCommands(deadOwner?.runId);
  if (stopped > 0) notice(`stopped ${stopped} process(es) the interrupted phasegate (pid ${deadOwner?.pid}) had started and that were still running`);
  const removed = await removeStaleGitLocks(world.git);
  if (removed.length > 0) notice(describeRemovedLocks(world.root, removed));
  // Its scratch clones: the journal names one only once it is written, and a kill may come first.
  // The lock records the host, and a dead owner is on this one (see isAlive), so the pid is its.
  if (deadOwner) {
    await removeScratchIndex((await gitPaths(world.git)).gitDir, deadOwner.pid);
    const scratch = await removeScratchOf(deadOwner.pid);
    if (scratch > 0) notice(`removed ${scratch} scratch folder(s) the interrupted phasegate (pid ${deadOwner.pid}) had made in ${os.tmpdir()}`);
  }
}
