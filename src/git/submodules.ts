import { existsSync } from 'node:fs';
import path from 'node:path';
import { GitClient } from './client.js';

/**
 * Submodules a phase's command changed, put back. A reset of this repository moves only the
 * gitlinks: a command that edited a submodule's files (a walk over every `*.py` on disk) or
 * committed in it left the submodule changed after the revert — a tree that was not clean. The run
 * refuses to start with a changed submodule, so whatever is changed there now is the phase's: its
 * edits go to the submodule's own stash (where git gives them back), and the submodule's HEAD back
 * to the commit this repository records. Its untracked files are left alone.
 */
export async function restoreSubmodules(git: GitClient, message: string): Promise<string[]> {
  // Most repositories have none: no git process for them.
  if (!existsSync(path.join(git.root, '.gitmodules'))) return [];
  const records = await git.entries(['status', '--porcelain=v2', '-z', '--untracked-files=no', '--ignore-submodules=untracked']);
  const restored: string[] = [];
  for (const record of records) {
    // `1 XY S<c><m><u> mH mI mW hH hI path`: a submodule whose commit (c) or tracked files (m) changed.
    const fields = record.split(' ');
    if (fields[0] !== '1' || !fields[2].startsWith('S') || (fields[2][1] !== 'C' && fields[2][2] !== 'M')) continue;
    const where = fields.slice(8).join(' ');
    const recorded = fields[7];
    const sub = new GitClient(path.join(git.root, where));
    if (fields[2][2] === 'M') await sub.run(['stash', 'push', '--quiet', '--message', message]);
    if (fields[2][1] === 'C') await sub.run(['checkout', '--quiet', '--detach', recorded]);
    restored.push(where);
  }
  return restored;
}
