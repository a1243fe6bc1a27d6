import { lstatSync } from 'node:fs';

/**
 * Whether something is at this path in the working tree, the path itself and not what a symlink
 * there points to (a dangling link is there too). ENOENT, or ENOTDIR when a folder on the way
 * became a file: nothing is there either way.
 */
export function existsOnDisk(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
