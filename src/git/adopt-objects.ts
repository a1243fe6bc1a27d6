import { randomBytes } from 'node:crypto';
import { chmod, copyFile, link, mkdir, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { GitClient } from './client.js';

/**
 * Bring the objects a scratch clone made into the repository it borrows from, without git's
 * transport. A `--shared` clone reads the repository's objects through `objects/info/alternates`
 * and writes only its new ones into its own `objects/`; those files are exactly what the
 * repository lacks to read the clone's commits, trees and tags. Copying them is what
 * `git fetch <clone>` does, minus packing them up and indexing the pack again — seconds for the
 * thousands of blobs a migration phase writes (the same way git itself moves a push's quarantined
 * objects in).
 *
 * Safe for the repository: objects are named by their content, so a file is added only under a
 * name that is not there yet (never replaced), and each appears whole or not at all (a hard link,
 * or a copy under a temporary name git's own clean-up knows, then linked into place). Nothing
 * refers to them until the caller moves a ref; until then they are loose unreachable objects,
 * like any a stopped `git add` leaves.
 */
export async function adoptObjects(repository: GitClient, cloneRoot: string): Promise<number> {
  const target = await objectDirectory(repository);
  const source = path.join(cloneRoot, '.git', 'objects');
  let adopted = 0;
  const fanOut = (await readdir(source)).filter((name) => /^[0-9a-f]{2}$/.test(name));
  await inBatches(fanOut, 8, async (folder) => {
    const names = (await readdir(path.join(source, folder))).filter((name) => /^[0-9a-f]{38,62}$/.test(name));
    if (names.length === 0) return;
    await folderLike(path.join(source, folder), path.join(target, folder));
    for (const name of names) {
      if (await place(path.join(source, folder, name), path.join(target, folder, name))) adopted += 1;
    }
  });
  // Packs, in case something in the clone packed its objects (a check running `git gc`): the
  // pack first, its index last — git sees a pack only once its index is there.
  const packFolder = await readdir(path.join(source, 'pack')).catch(() => [] as string[]);
  const packs = packFolder.filter((name) => /^pack-[0-9a-f]+\.pack$/.test(name) && packFolder.includes(name.replace(/\.pack$/, '.idx')));
  if (packs.length > 0) await folderLike(path.join(source, 'pack'), path.join(target, 'pack'));
  for (const pack of packs) {
    const index = pack.replace(/\.pack$/, '.idx');
    await place(path.join(source, 'pack', pack), path.join(target, 'pack', pack));
    await place(path.join(source, 'pack', index), path.join(target, 'pack', index));
    adopted += 1;
  }
  return adopted;
}

/** The repository's object folder (the common one, when this is a linked worktree). */
async function objectDirectory(git: GitClient): Promise<string> {
  return path.resolve(git.root, (await git.run(['rev-parse', '--path-format=absolute', '--git-path', 'objects'])).trim());
}

/**
 * Make the folder `to` unless it exists, with the mode git gave `from` in the clone: in a repository
 * shared with a group (core.sharedRepository, which the clone shares) that is group-writable,
 * whatever the user's umask, so that the group can read the objects linked into it.
 */
async function folderLike(from: string, to: string): Promise<void> {
  if ((await mkdir(to, { recursive: true })) === undefined) return;
  await chmod(to, (await stat(from)).mode & 0o7777);
}

/** Link `from` to `to` unless `to` exists; across file systems, copy under a temporary name first. */
async function place(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
  }
  // git's `gc` removes stale files named tmp_obj_* from object folders.
  const temporary = path.join(path.dirname(to), `tmp_obj_phasegate_${randomBytes(6).toString('hex')}`);
  try {
    await copyFile(from, temporary);
    await link(temporary, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function inBatches<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}
