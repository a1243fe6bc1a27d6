import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { gitPaths } from '../git/paths.js';
import type { GitClient } from '../git/client.js';

/**
 * phasegate's own files live in `.git/phasegate/`: never in the working tree, never committed.
 * `create: false` for a command that only reads the repository: it must not even make the folder.
 */
export async function stateDir(git: GitClient, { create = true } = {}): Promise<string> {
  const dir = path.join((await gitPaths(git)).commonDir, 'phasegate');
  if (create) mkdirSync(dir, { recursive: true });
  return dir;
}
