import { GitClient } from './client.js';
import { workingTree, type WorkingTree } from './state.js';

/**
 * `git status` (with the untracked files) is the slowest question `run` and `rollback` ask before
 * they act: ~100–150 ms at 20,000 files. It is started before the command's own modules load
 * (~100 ms more), from cwd (porcelain paths are relative to the repository root anyway), and the
 * command uses the answer only if nothing could have changed the tree since: no crash recovery,
 * no dead phasegate's leftovers. This module stays small so that starting it costs nothing.
 */
export function startWorkingTreeRead(cwd: string): Promise<WorkingTree> {
  const status = workingTree(new GitClient(cwd));
  // Outside a repository this fails; the command refuses with its own message, later.
  status.catch(() => undefined);
  return status;
}
