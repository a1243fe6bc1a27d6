import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file phasegate's package ships (package.json, schema/…), by its path from the package's top
 * folder. Found by walking up from this module to the first folder with a package.json: the same
 * answer from the sources (src/), tsc's output (dist/x/y.js) and the bundle's chunks (dist/chunks/),
 * installed or checked out.
 */
export function packageFile(relative: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`phasegate's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return path.join(dir, relative);
}
