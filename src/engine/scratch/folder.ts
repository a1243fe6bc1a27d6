import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RefusedError } from '../../errors.js';

/**
 * Where scratch clones live: `$TMPDIR/phasegate-<label>-<pid>-XXXXXX`. The pid in the name lets the
 * command that takes over a dead phasegate's lock remove the clones that process made before its
 * journal could name them (a kill -9 right after the clone), and nobody else's.
 */
export async function makeScratchFolder(label: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `phasegate-${label}-${process.pid}-`)).catch((error: NodeJS.ErrnoException) => {
    throw new RefusedError(`cannot make a scratch folder in ${os.tmpdir()} (${error.code ?? error.message}): set TMPDIR to a folder that exists and is writable (nothing was changed)`);
  });
}

/**
 * Remove the scratch folders a dead phasegate (`pid`, on this host) left in TMPDIR; returns how many.
 * Every temporary folder phasegate makes is named this way (ast-grep's config, a scratch index, …).
 */
export async function removeScratchOf(pid: number): Promise<number> {
  const own = new RegExp(`^phasegate-[a-z-]+-${pid}-[A-Za-z0-9]{6}$`);
  const names = await readdir(os.tmpdir()).catch(() => [] as string[]);
  const leftovers = names.filter((name) => own.test(name));
  await Promise.all(leftovers.map((name) => rm(path.join(os.tmpdir(), name), { recursive: true, force: true, maxRetries: 3 })));
  return leftovers.length;
}
