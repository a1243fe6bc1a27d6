import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RefusedError } from '../errors.js';
import { RUN_ID } from '../process/run-id.js';

/**
 * One phasegate process per repository. The lock file holds the owner's pid and start time; a
 * lock whose process is gone (crash, kill -9) is taken over.
 */
export interface LockOwner {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  /** The commands it starts carry it: a recovery stops those that outlived it. */
  runId?: string;
}

export class RepositoryLock {
  private held = false;
  readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, 'lock');
  }

  acquire(command: string): { tookOverFrom?: LockOwner } {
    const owner: LockOwner = { pid: process.pid, host: os.hostname(), command, startedAt: new Date().toISOString(), runId: RUN_ID };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(this.file, 'wx');
        writeSync(fd, JSON.stringify(owner));
        closeSync(fd);
        this.held = true;
        return {};
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = this.owner();
      if (current && isAlive(current)) {
        throw new RefusedError(`another phasegate is working in this repository: pid ${current.pid} ('${current.command}', started ${current.startedAt}); wait for it to finish, or remove ${this.file} if that process is not phasegate`);
      }
      rmSync(this.file, { force: true });
      if (current) {
        const result = this.acquire(command);
        return { ...result, tookOverFrom: current };
      }
    }
    throw new RefusedError(`cannot take the lock ${this.file}`);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    const current = this.owner();
    if (current?.pid === process.pid) rmSync(this.file, { force: true });
  }

  owner(): LockOwner | undefined {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as LockOwner;
    } catch {
      return undefined;
    }
  }
}

export function isAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
