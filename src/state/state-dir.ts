import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { gitPaths } from '../git/paths.js';
import type { GitClient } from '../git/client.js';

/** phasegate's own files live in `.git/phasegate/`: never in the working tree, never committed. */
export async function stateDir(git: GitClient): Promise<string> {
  const dir = path.join((await gitPaths(git)).commonDir, 'phasegate');
  mkdirSync(dir, { recursive: true });
  return dir;
}
