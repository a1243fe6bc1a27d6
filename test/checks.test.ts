import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir } from './helpers/repo.js';
import { onePhasePlan } from './helpers/plan-yaml.js';

const files = { 'src/a.txt': 'alpha\nbeta\n', 'src/b.txt': 'alpha\n' };

function plan(validate: string, transform = "      - replace: 'alpha'\n        with: 'gamma'\n"): string {
  return onePhasePlan('p', `    transform:\n${transform}    validate:\n${validate}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('checks', () => {
  it('kills the whole process tree of a check that times out', async () => {
    const pids = path.join(tempDir(), 'pids');
    const repo = makeRepo({ ...files, 'plans/p.yaml': plan(
      `      - run: sh -c 'sleep 300 & echo $! >> ${pids}; sleep 300 & echo $! >> ${pids}; wait'\n        timeout: 1s\n`) });
    const started = Date.now();
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toContain('timed out after 1.0s');
    expect(Date.now() - started).toBeLessThan(30_000);
    const grandchildren = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(grandchildren).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (const pid of grandchildren) expect(alive(pid), `pid ${pid} still alive`).toBe(false);
    expect(repo.tags()).toEqual(['phasegate/p/base']);
  });

  it('without a score every check must pass', async () => {
    const repo = makeRepo({ ...files, 'plans/p.yaml': plan("      - require: 'gamma'\n      - forbid: 'beta'\n") });
    const result = await phasegate(['run', 'p', '--yes', '--report', 'r.json'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    const report = JSON.parse(repo.read('r.json'));
    expect(report.phases[0].score).toBe(50);
    expect(report.phases[0].threshold).toBeNull();
    expect(report.phases[0].checks.map((c: { passed: boolean }) => c.passed)).toEqual([true, false]);
  });

  it('with a score the weighted share of passing checks must reach the threshold', async () => {
    // weights 3 (passes) + 1 (fails) = 75 %
    const passing = makeRepo({ ...files, 'plans/p.yaml': plan("      - require: 'gamma'\n        weight: 3\n      - forbid: 'beta'\n      - score: 75\n") });
    const pass = await phasegate(['run', 'p', '--yes', '--report', 'r.json'], { cwd: passing.dir });
    expect(pass.exitCode, pass.all).toBe(0);
    expect(JSON.parse(passing.read('r.json')).phases[0]).toMatchObject({ status: 'passed', score: 75, threshold: 75 });
    expect(passing.git('cat-file', '-p', 'phasegate/p/one')).toContain('"score": 75');

    const failing = makeRepo({ ...files, 'plans/p.yaml': plan("      - require: 'gamma'\n        weight: 3\n      - forbid: 'beta'\n      - score: 80\n") });
    const fail = await phasegate(['run', 'p', '--yes'], { cwd: failing.dir });
    expect(fail.exitCode, fail.all).toBe(1);
    expect(fail.stdout).toContain('score 75% (threshold 80%) is below the threshold');
  });

  it('a failing required check fails the phase even above the threshold', async () => {
    const repo = makeRepo({ ...files, 'plans/p.yaml': plan("      - require: 'gamma'\n        weight: 9\n      - forbid: 'beta'\n        required: true\n      - score: 50\n") });
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toContain('score 90% (threshold 50%); required check(s) failed');
    expect(repo.read('src/a.txt')).toBe('alpha\nbeta\n');
  });

  it('forbid/require/count report file:line and the counts before and after the transform', async () => {
    const repo = makeRepo({ ...files, 'plans/p.yaml': plan("      - count: 'gamma'\n        min: 1\n        max: 1\n        name: one gamma\n      - forbid: 'alpha|beta'\n") });
    const result = await phasegate(['run', 'p', '--yes', '--report', 'r.json', '--junit', 'j.xml', '--summary', 's.md'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    const [count, forbid] = JSON.parse(repo.read('r.json')).phases[0].checks;
    expect(count).toMatchObject({ name: 'one gamma', kind: 'count', passed: false, details: { before: 0, after: 2, matchCount: 2 } });
    expect(count.details.matches).toEqual([{ file: 'src/a.txt', line: 1, text: 'gamma', added: true }, { file: 'src/b.txt', line: 1, text: 'gamma', added: true }]);
    expect(forbid).toMatchObject({ kind: 'forbid', passed: false, details: { before: 3, after: 1 } });
    expect(result.stdout).toContain('src/a.txt:2: beta');
    const junit = repo.read('j.xml');
    expect(junit).toContain('<testcase classname="p.one" name="one gamma"');
    expect(junit).toContain('<failure message="2 matching lines (expected in 1..1)" type="count">');
    expect(repo.read('s.md')).toContain('matches before: 3, after: 1');
  });

  it('discards files a check leaves behind, so the checkpoint stays what the transform made', async () => {
    const repo = makeRepo({ ...files, 'plans/p.yaml': plan("      - run: echo junk > junk.txt && echo more >> src/b.txt\n") });
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toContain('changed the working tree');
    expect(existsSync(path.join(repo.dir, 'junk.txt'))).toBe(false);
    expect(repo.read('src/b.txt')).toBe('gamma\n');
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});
