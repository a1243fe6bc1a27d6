import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RefusedError } from '../../errors.js';
import { processRuns } from '../../state/lock.js';

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
  const leftovers = await scratchFolders((_, owner) => owner === pid);
  await Promise.all(leftovers.map((folder) => rm(folder, { recursive: true, force: true, maxRetries: 3 })));
  return leftovers.length;
}

/**
 * Remove what phasegate processes that are gone left in TMPDIR: `verify`, `--dry-run` and
 * `rehearse` take no lock, so no later command takes over from one killed mid-way (a CI job's
 * timeout) and its scratch clone — a checkout of the whole repository — stayed for good. Called
 * before a new scratch clone is made. A folder whose pid is alive (phasegate at work, or a process
 * that took the number over) is left; so is a sync's clone, which the journal of a killed sync may
 * still name until the next sync or run takes over its lock and recovers.
 */
export async function removeDeadScratch(): Promise<number> {
  const dead = await scratchFolders((label, owner) => label !== 'sync' && owner !== process.pid && !processRuns(owner));
  // Another user's folder (a shared TMPDIR) cannot be removed, and is not this command's business.
  const removed = await Promise.all(dead.map((folder) => rm(folder, { recursive: true, force: true, maxRetries: 3 }).then(() => true, () => false)));
  return removed.filter(Boolean).length;
}

const SCRATCH_NAME = /^phasegate-([a-z-]+)-(\d+)-[A-Za-z0-9]{6}$/;

/** The folders in TMPDIR named as makeScratchFolder names them, whose label and pid `chosen` picks. */
async function scratchFolders(chosen: (label: string, pid: number) => boolean): Promise<string[]> {
  const names = await readdir(os.tmpdir()).catch(() => [] as string[]);
  return names.filter((name) => {
    const found = SCRATCH_NAME.exec(name);
    return found !== null && chosen(found[1], Number(found[2]));
  }).map((name) => path.join(os.tmpdir(), name));
}
