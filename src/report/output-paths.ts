import { lstatSync } from 'node:fs';
import path from 'node:path';
import { RefusedError } from '../errors.js';
import { GitClient } from '../git/client.js';
import { findRepoRoot } from '../git/state.js';
import { resolvePlanPath } from '../plan/resolve.js';

/**
 * `--report`, `--summary` and `--junit` are written when the run ends. A path naming a file git
 * tracks (`--report README.md`) or the plan itself would overwrite the user's file after the last
 * checkpoint, where no rollback reaches it: refused before anything runs, as is a folder (the
 * write would fail only after the whole run).
 */
export async function refuseUnsafeOutputs(outputs: Record<string, string | undefined>, plan: string | undefined, cwd: string): Promise<void> {
  const requested = Object.entries(outputs).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (requested.length === 0) return;
  const root = await findRepoRoot(cwd);
  const planFile = plan === undefined ? undefined : resolvePlanPath(plan, root, cwd);
  for (const [flag, file] of requested) {
    const target = path.resolve(cwd, file);
    const refuse = (why: string) => new RefusedError(`--${flag} ${file}: ${why}; write it to a file git does not track (or outside the repository)`);
    if (target === planFile) throw refuse('that is the plan');
    if (isFolder(target)) throw refuse('that is a folder');
    const relative = root === undefined ? '..' : path.relative(root, target).split(path.sep).join('/');
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    const tracked = await new GitClient(root!).entries(['ls-files', '-z', '--cached', '--', `:(literal)${relative}`]);
    if (tracked.length > 0) throw refuse('git tracks that file');
  }
}

function isFolder(file: string): boolean {
  try {
    return lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}
