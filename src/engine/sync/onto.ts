import type { GitClient } from '../../git/client.js';
import { branchExists } from '../../git/state.js';
import type { TagInfo } from '../../git/tags.js';
import { recordedStartBranch } from '../../git/tag-record.js';

/**
 * The branch a migration started from, which `sync` rebuilds onto by default: as the base tag
 * records it, else `main` or `master` (tags made before the record had the field). Undefined when
 * none exists. The migration branch itself is never its own base (`run --no-branch`).
 */
export async function startBranchOf(git: GitClient, base: TagInfo, migrationBranch: string | null): Promise<string | undefined> {
  const recorded = recordedStartBranch(base);
  const candidates = [recorded, 'main', 'master'].filter((name): name is string => Boolean(name) && name !== migrationBranch);
  for (const name of candidates) if (await branchExists(git, name)) return name;
  return undefined;
}

/** How many commits `startBranch` has that the migration's base does not. */
export async function commitsSinceBase(git: GitClient, base: TagInfo, startBranch: string): Promise<number> {
  return Number((await git.run(['rev-list', '--count', `${base.commit}..refs/heads/${startBranch}`])).trim()) || 0;
}
