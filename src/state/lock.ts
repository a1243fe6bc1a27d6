import { closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RefusedError } from '../errors.js';
import { RUN_ID } from './run-id.js';

/**
 * One phasegate process per repository. The lock file holds the owner's pid and start time; a
 * lock whose process is gone (crash, kill -9) is taken over.
 *
 * Every change to the lock file is atomic, because several processes may find the same dead lock
 * at once (three runs started together on one took it over twice, and one then crashed):
 * - a lock is created whole or not at all: its content is written to a private file, which is then
 *   hard-linked to the lock's name (`link` fails when the name exists, like O_EXCL, and nobody can
 *   ever read a half-written lock);
 * - a dead lock is removed only by the holder of a second, short-lived lock (`lock.takeover`, made
 *   the same way), who reads the lock again first: nobody else removes a lock whose owner is gone,
 *   so what that holder read is still what it removes. After removing it, the holder competes for
 *   the lock like everybody else.
 * The takeover lock is held for a few file operations; one left by a process killed in between is
 * removed with a rename that is checked against the file's inode, so a live one is never removed.
 */
export interface LockOwner {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  /** The commands it starts carry it: a recovery stops those that outlived it. */
  runId?: string;
}

const TAKEOVER_WAIT_MS = 2000;

export class RepositoryLock {
  private held = false;
  readonly file: string;
  private readonly takeoverFile: string;

  constructor(private readonly dir: string) {
    this.file = path.join(dir, 'lock');
    this.takeoverFile = path.join(dir, 'lock.takeover');
  }

  acquire(command: string): { tookOverFrom?: LockOwner } {
    const owner: LockOwner = { pid: process.pid, host: os.hostname(), command, startedAt: new Date().toISOString(), runId: RUN_ID };
    let tookOverFrom: LockOwner | undefined;
    const deadline = Date.now() + TAKEOVER_WAIT_MS;
    for (;;) {
      if (this.create(this.file, owner)) {
        // Nobody removes a live owner's lock, so this only fails on a bug; say so rather than race on.
        if (this.owner()?.pid !== process.pid) throw new Error(`bug: the lock ${this.file} changed hands right after it was taken`);
        this.held = true;
        return tookOverFrom ? { tookOverFrom } : {};
      }
      const current = this.owner();
      if (current && isAlive(current)) throw this.busy(current);
      const removed = this.removeDeadLock(owner);
      if (removed) tookOverFrom = removed.owner ?? tookOverFrom;
      else if (Date.now() > deadline) throw new RefusedError(`cannot take the lock ${this.file}: another process keeps taking it over; try again`);
      else pause(5);
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    const current = this.owner();
    if (current?.pid === process.pid) rmSync(this.file, { force: true });
  }

  owner(): LockOwner | undefined {
    return readOwner(this.file);
  }

  private busy(current: LockOwner): RefusedError {
    return new RefusedError(`another phasegate is working in this repository: pid ${current.pid} ('${current.command}', started ${current.startedAt}); wait for it to finish, or remove ${this.file} if that process is not phasegate`);
  }

  /**
   * Under the takeover lock: remove the lock file when it is still dead (or unreadable). Returns
   * undefined when the takeover lock is someone else's (the caller waits and looks again).
   */
  private removeDeadLock(me: LockOwner): { owner?: LockOwner } | undefined {
    if (!this.create(this.takeoverFile, me)) {
      removeIfAbandoned(this.takeoverFile);
      return undefined;
    }
    try {
      let text: string;
      try {
        text = readFileSync(this.file, 'utf8');
      } catch (error) {
        // Gone already (removed by the takeover before ours): nothing to remove, and removing now
        // would take a lock that a contender has just created.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw error;
      }
      // A dead owner's file cannot change while the takeover lock is held: only a takeover removes
      // a lock file, and only a link creates one where none is.
      const current = parseOwner(text);
      if (current && isAlive(current)) return {};
      rmSync(this.file, { force: true });
      return { owner: current };
    } finally {
      rmSync(this.takeoverFile, { force: true });
    }
  }

  /** Create `file` holding `owner`, whole, unless it exists. */
  private create(file: string, owner: LockOwner): boolean {
    const draft = path.join(this.dir, `${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.new`);
    writeFileSync(draft, JSON.stringify(owner));
    try {
      linkSync(draft, file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return false;
    } finally {
      rmSync(draft, { force: true });
    }
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return parseOwner(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as LockOwner;
    return typeof owner?.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Remove a takeover lock whose holder is gone. What is judged and what is removed must be the same
 * file: its owner and inode are read through one descriptor, it is moved aside, and if what was
 * moved is another file (a new holder's, made in between) it is linked back.
 */
function removeIfAbandoned(file: string): void {
  let inode: number;
  try {
    const fd = openSync(file, 'r');
    try {
      const stat = fstatSync(fd);
      inode = stat.ino;
      const holder = parseOwner(readFileSync(fd, 'utf8'));
      if (holder && isAlive(holder)) return;
      // Unreadable for a moment while an older phasegate writes it: only an old one is abandoned.
      if (!holder && Date.now() - stat.mtimeMs < 1000) return;
    } finally {
      closeSync(fd);
    }
  } catch {
    return;
  }
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return;
  }
  try {
    if (statSync(aside).ino !== inode) linkSync(aside, file);
  } catch {
    // A newer takeover lock exists already. The one moved aside belongs to a process in the
    // middle of a few file operations; the lock file itself is still only created by link.
  } finally {
    rmSync(aside, { force: true });
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function isAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return false;
  return processRuns(owner.pid);
}

/** Whether a process of this host runs under `pid` (one we may not signal runs too). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
