import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { makeRepo, tempDir } from './helpers/repo.js';

const CONTENDER = path.resolve('test/helpers/lock-contender.mjs');
const LOCK_MODULE = path.resolve('dist/state/lock.js');

/**
 * Issue 11 defect 5: a lock left by a dead process is taken over by exactly one of several
 * phasegate processes started together; the others are refused, none crashes.
 */
const PROCESSES = 8;
const ROUNDS = 1;

describe('taking over a stale lock', () => {
  it(`${PROCESSES} runs started together on a dead-pid lock: exactly one runs, the others are refused (exit 2), none crashes`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // The winner's check waits until the others have given up, so that none of them can find
      // the lock already released (and then rightly run, finding nothing left to do).
      const go = path.join(tempDir(), 'go');
      const plan = threePhasePlan({ rollbackLog: '/dev/null' }).replace("      - forbid: 'from legacy", `      - run: while [ ! -e ${go} ]; do sleep 0.1; done\n        timeout: 2m\n      - forbid: 'from legacy`);
      const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': plan });
      mkdirSync(path.join(repo.dir, '.git/phasegate'), { recursive: true });
      writeFileSync(path.join(repo.dir, '.git/phasegate/lock'), JSON.stringify({ pid: 999999, host: os.hostname(), command: 'run shop', startedAt: '2026-01-01T00:00:00Z' }));
      const started = Array.from({ length: PROCESSES }, () => execa(process.execPath, [BIN, 'run', 'shop', '--yes', '--to', 'imports'], {
        cwd: repo.dir, reject: false, all: true, env: { NO_COLOR: '1', CI: undefined }, timeout: 120_000,
      }));
      let exited = 0;
      for (const child of started) void child.then(() => { exited++; });
      // Two winners would both wait here: the go file then comes after a generous delay instead.
      for (let i = 0; i < 600 && exited < PROCESSES - 1; i++) await new Promise((r) => setTimeout(r, 50));
      writeFileSync(go, '');
      const runs = await Promise.all(started);
      const codes = runs.map((run) => run.exitCode).sort();
      const summary = runs.map((run) => `exit ${run.exitCode}: ${run.all}`).join('\n---\n');
      expect(codes, summary).toEqual([0, ...Array(PROCESSES - 1).fill(2)]);
      for (const run of runs.filter((r) => r.exitCode === 2)) expect(run.stderr).toContain('another phasegate is working in this repository');
      expect(repo.tags()).toEqual(['phasegate/shop/base', 'phasegate/shop/imports']);
      expect(repo.git('log', '--format=%s', 'phasegate/shop/base..HEAD').trim()).toBe('shop: Canonical imports');
      expect(repo.git('status', '--porcelain')).toBe('');
      expect(existsSync(path.join(repo.dir, '.git/phasegate/lock'))).toBe(false);
    }
  }, 240_000);
});

describe('the stale-lock takeover under stress', () => {
  it('processes that keep taking over dead locks never hold the lock at the same time', async () => {
    const dir = tempDir();
    const log = path.join(dir, 'log');
    writeFileSync(path.join(dir, 'lock'), JSON.stringify({ pid: 999999, host: os.hostname(), command: 'dead', startedAt: '2026-01-01T00:00:00Z' }));
    writeFileSync(log, '');
    // Long enough for a loaded machine to start all four and let them take over the lock many times.
    const until = String(Date.now() + 4000);
    const contenders = await Promise.all(Array.from({ length: 4 }, () => execa(process.execPath, [CONTENDER, LOCK_MODULE, dir, log, until], { reject: false, all: true, timeout: 60_000 })));
    for (const contender of contenders) expect(contender.exitCode, contender.all).toBe(0);
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const wins = contenders.reduce((sum, c) => sum + JSON.parse(c.stdout).wins, 0);
    expect(wins).toBeGreaterThanOrEqual(5);
    let holder: string | undefined;
    const overlaps: string[] = [];
    for (const line of lines) {
      const [event, pid] = line.split(' ');
      if (event === 'enter') {
        if (holder) overlaps.push(`${pid} entered while ${holder} held the lock`);
        holder = pid;
      } else if (holder === pid) holder = undefined;
    }
    expect(overlaps.slice(0, 3), `${overlaps.length} overlaps in ${wins} takeovers`).toEqual([]);
  }, 60_000);
});
