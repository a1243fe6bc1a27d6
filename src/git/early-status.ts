import { GitClient } from './client.js';
import { probeRepository } from './repository-probe.js';
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

/**
 * The repository's top folder, git's folders, HEAD and identity (repository-probe.ts), asked with
 * the status while the command's modules load: `openRepository` and `findRepoRoot` take the answer.
 */
export function startRepositoryProbe(cwd: string): void {
  // Outside a repository this answers undefined; the command refuses with its own message, later.
  probeRepository(cwd).catch(() => undefined);
}
