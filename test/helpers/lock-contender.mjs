// A process that competes for phasegate's repository lock in a tight loop, for the lock-race
// test: argv = <built lock module> <lock dir> <log file> <run until (epoch ms)>.
// Each time it gets the lock it logs `enter <pid>`, holds it a moment, logs `exit <pid>`, then
// "dies" holding it: the lock file is atomically replaced by one whose pid is gone, so the next
// contender must take over a stale lock. Two `enter`s without an `exit` between them mean two
// processes held the lock at once.
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [, , lockModule, dir, log, until] = process.argv;
const { RepositoryLock } = await import(lockModule);
const DEAD = { pid: 999999, host: os.hostname(), command: 'dead', startedAt: '2026-01-01T00:00:00Z' };
let wins = 0;
let refusals = 0;
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
while (Date.now() < Number(until)) {
  const lock = new RepositoryLock(dir);
  try {
    lock.acquire('contender');
  } catch (error) {
    if (error?.name !== 'RefusedError') throw error;
    refusals++;
    continue;
  }
  wins++;
  appendFileSync(log, `enter ${process.pid}\n`);
  pause(1);
  appendFileSync(log, `exit ${process.pid}\n`);
  const dead = path.join(dir, `lock.dead.${process.pid}`);
  writeFileSync(dead, JSON.stringify(DEAD));
  renameSync(dead, path.join(dir, 'lock'));
  pause(1);
}
process.stdout.write(JSON.stringify({ wins, refusals }));
