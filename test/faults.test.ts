import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { isRunning, killTree } from './helpers/process-tree.js';
import { makeRepo, tempDir } from './helpers/repo.js';
import { tagCommit, treeOf } from './helpers/git-reads.js';

/**
 * Crashes at exact points (PHASEGATE_FAILPOINT makes the CLI SIGKILL itself there). After each,
 * `status` reports the interruption and the next command restores the last checkpoint and goes on;
 * nothing the user had before the run is lost.
 */
function setup({ failingSender = false } = {}) {
  const flag = path.join(tempDir(), 'sender-fails');
  if (failingSender) writeFileSync(flag, '');
  const plan = threePhasePlan({ rollbackLog: '/dev/null' }).replace("      - forbid: '\\.send\\('", `      - run: test ! -e ${flag}\n      - forbid: '\\.send\\('`);
  const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': plan });
  repo.write('notes.txt', 'untracked notes\n');
  const main = repo.head();
  return { repo, flag, main };
}

async function crash(repo: ReturnType<typeof makeRepo>, point: string, args: string[]) {
  const result = await phasegate(args, { cwd: repo.dir, env: { PHASEGATE_FAILPOINT: point } });
  expect(result.exitCode, `${point}: ${result.all}`).toBe(-1); // killed by SIGKILL
}

function expectNothingLost(repo: ReturnType<typeof makeRepo>, main: string) {
  expect(repo.read('notes.txt')).toBe('untracked notes\n');
  expect(repo.git('rev-parse', 'main').trim()).toBe(main);
}

describe('crash safety', () => {
  it.each(['during-transform', 'before-commit', 'during-check', 'before-tag'])('killed %s: status reports it, the next run restores and completes', async (point) => {
    const { repo, main } = setup();
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir })).exitCode).toBe(0);
    await crash(repo, point, ['run', 'shop', '--yes']);

    const status = await phasegate(['status', 'shop'], { cwd: repo.dir });
    expect(status.exitCode, status.all).toBe(0);
    expect(status.stdout).toContain("INTERRUPTED: phase 'sender' of plan 'shop' was interrupted");
    const json = JSON.parse((await phasegate(['status', 'shop', '--json'], { cwd: repo.dir })).stdout);
    expect(json.interrupted).toContain("phase 'sender'");

    const resumed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(resumed.stderr).toContain("phase 'sender' of plan 'shop' was interrupted");
    expect(repo.tags()).toEqual(['phasegate/shop/base', 'phasegate/shop/docs', 'phasegate/shop/imports', 'phasegate/shop/sender']);
    expect(repo.read('app/orders.py')).toContain('n.deliver("order placed")');
    expect(repo.git('status', '--porcelain')).toBe('?? notes.txt\n');
    expect(repo.git('log', '--format=%s', 'main..HEAD').trim().split('\n')).toHaveLength(3);
    expectNothingLost(repo, main);
  });

  it('killed during an automatic revert: the next run finishes restoring, then completes once fixed', async () => {
    const { repo, flag, main } = setup({ failingSender: true });
    await crash(repo, 'during-revert', ['run', 'shop', '--yes']);
    expect((await phasegate(['status'], { cwd: repo.dir })).stdout).toContain('was interrupted during revert');
    rmSync(flag);
    const resumed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(repo.tags()).toHaveLength(4);
    expect(repo.git('rev-parse', 'phasegate/shop/sender^{commit}~1').trim()).toBe(tagCommit(repo, 'shop', 'imports'));
    expectNothingLost(repo, main);
  });

  it('killed during a rollback: the next rollback finishes it and the tree equals base', async () => {
    const { repo, main } = setup();
    expect((await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    await crash(repo, 'during-rollback', ['rollback', 'base', '--yes']);
    expect((await phasegate(['status'], { cwd: repo.dir })).stdout).toContain("a rollback of plan 'shop' to 'base' was interrupted");
    const finished = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(finished.exitCode, finished.all).toBe(0);
    expect(treeOf(repo, 'HEAD')).toBe(treeOf(repo, 'phasegate/shop/base'));
    expect(repo.tags()).toEqual(['phasegate/shop/base']);
    expect(repo.git('status', '--porcelain')).toBe('?? notes.txt\n');
    expectNothingLost(repo, main);
  });

  it('Ctrl-C during a long check kills the child tree, restores the last checkpoint, exits 130', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pid');
    const plan = threePhasePlan({ rollbackLog: '/dev/null' }).replace("      - forbid: '\\.send\\('", `      - run: sleep 60 & echo $! > ${pidFile}; wait\n        timeout: 2m\n      - forbid: '\\.send\\('`);
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': plan });
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir })).exitCode).toBe(0);
    const imports = repo.head();
    const reportFile = path.join(dir, 'report.json');
    const child = execa(process.execPath, [BIN, 'run', 'shop', '--yes', '--report', reportFile], { cwd: repo.dir, reject: false, env: { NO_COLOR: '1' } });
    // The shell creates the file before `echo` writes the pid into it: wait for the pid itself.
    const readPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0);
    try {
      for (let i = 0; i < 400 && !(readPid() > 0); i++) await new Promise((r) => setTimeout(r, 50));
      const grandchild = readPid();
      expect(grandchild, 'the long check did not start within 20 s').toBeGreaterThan(0);
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode, result.all ?? result.stdout + result.stderr).toBe(130);
      // phasegate signals the check's process group before it restores and exits, so the sleep is
      // dead by now, or a moment later. Dead, not gone: the orphan stays a zombie until init reaps
      // it, which took up to 2 s on a loaded machine and is not phasegate's doing.
      for (let i = 0; i < 100 && isRunning(grandchild); i++) await new Promise((r) => setTimeout(r, 50));
      expect(isRunning(grandchild), `the check's sleep (pid ${grandchild}) outlived phasegate`).toBe(false);
    } finally {
      // Nothing left behind when an expectation above failed.
      if (child.exitCode === null) killTree(child.pid);
      if (readPid() > 0) killTree(readPid());
    }
    expect(repo.head()).toBe(imports);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.tags()).not.toContain('phasegate/shop/sender');
    expect(existsSync(path.join(repo.dir, '.git/phasegate/journal.json'))).toBe(false);
    // Interrupted is not failed: the report says the phase was rolled back, and why.
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(report).toMatchObject({ result: 'interrupted', exitCode: 130 });
    expect(report.phases[1]).toMatchObject({ id: 'sender', status: 'rolled-back', reason: 'interrupted' });
  });
});
