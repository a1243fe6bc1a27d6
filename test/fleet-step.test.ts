import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../examples/lib/example-repo.mjs';
import { BIN } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';

/**
 * examples/fleet/phasegate-step.sh, the per-repository step for multi-gitter and turbolift, run as
 * those tools run a script: in the clone, on the branch the tool made, exit code read afterwards.
 */
const STEP = path.join(ROOT, 'examples', 'fleet', 'phasegate-step.sh');

async function step(repo: TestRepo, reports: string, env: Record<string, string> = {}) {
  const result = await execa('sh', [STEP], {
    cwd: repo.dir, reject: false, all: true, stdin: 'ignore', timeout: 120_000,
    env: { PHASEGATE: `${process.execPath} ${BIN}`, PHASEGATE_PLAN: 'plans/shop.yaml', PHASEGATE_REPORTS: reports, REPOSITORY: 'acme/shop', NO_COLOR: '1', CI: undefined, ...env },
  });
  return { exitCode: result.exitCode, all: result.all ?? '', report: () => JSON.parse(readFileSync(path.join(reports, 'acme_shop.json'), 'utf8')) };
}

function toolBranch(breakPhaseTwo = false): TestRepo {
  const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ breakPhaseTwo, rollbackLog: '/dev/null' }) });
  repo.git('checkout', '-q', '-b', 'multi-gitter/shop'); // the tool's branch: phasegate stays on it
  return repo;
}

describe('the fan-out step script', () => {
  it('exit 0 and changed, then exit 0 and nothing to do, on the branch the tool made', async () => {
    const repo = toolBranch();
    const reports = tempDir();
    const first = await step(repo, reports);
    expect(first.exitCode, first.all).toBe(0);
    expect(first.report()).toMatchObject({ result: 'passed', changed: true, branch: 'multi-gitter/shop' });
    expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('multi-gitter/shop');
    expect(readFileSync(path.join(reports, 'acme_shop.md'), 'utf8')).toContain('phasegate rollback base');

    const second = await step(repo, reports);
    expect(second.exitCode, second.all).toBe(0);
    expect(second.report()).toMatchObject({ result: 'passed', changed: false });
  });

  it('exit 1 when a phase fails; with PHASEGATE_SQUASH a passing run leaves the migration as uncommitted changes for the tool to commit', async () => {
    const failing = toolBranch(true);
    const failed = await step(failing, tempDir(), { PHASEGATE_SQUASH: '1' });
    expect(failed.exitCode, failed.all).toBe(1);
    expect(failing.git('status', '--porcelain')).toBe(''); // nothing half-done for the tool to commit

    const repo = toolBranch();
    const start = repo.head();
    const squashed = await step(repo, tempDir(), { PHASEGATE_SQUASH: '1' });
    expect(squashed.exitCode, squashed.all).toBe(0);
    expect(repo.head()).toBe(start);
    expect(repo.git('status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual(
      expect.arrayContaining(['M  README.md', 'M  app/orders.py', 'M  app/users.py']),
    );
  });
});
