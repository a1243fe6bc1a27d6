import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';
import { snapshot } from './helpers/snapshot.js';

/**
 * `phasegate init demo` then `phasegate run demo --dry-run` is exactly what `init` suggests. The
 * plan is not committed and its folder (plans/) is not in HEAD: the scratch clone must still get it.
 */
describe('dry run and rehearsal with a plan that is not committed', () => {
  // The starter plan renames oldApiCall( to newApiCall( and forbids the old name: it passes here.
  const project = { 'src/api.js': 'export function oldApiCall(x) { return x; }\n', 'src/use.js': 'oldApiCall(1);\n' };

  it('init, then run --dry-run: the diff and an honest result, no stack trace, repository untouched', async () => {
    const repo = makeRepo(project);
    const init = await phasegate(['init', 'demo'], { cwd: repo.dir });
    expect(init.exitCode, init.all).toBe(0);
    const before = snapshot(repo);
    expect(before.status).toContain('?? plans/demo.yaml');

    const result = await phasegate(['run', 'demo', '--dry-run'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).not.toMatch(/unexpected error|ENOENT|\n\s+at /);
    expect(result.stdout).toContain('+newApiCall(1);');
    expect(snapshot(repo)).toEqual(before);
  });

  it('init, then rehearse: passes, no stack trace, repository untouched', async () => {
    const repo = makeRepo(project);
    expect((await phasegate(['init', 'demo'], { cwd: repo.dir })).exitCode).toBe(0);
    const before = snapshot(repo);

    const result = await phasegate(['rehearse', 'demo'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).not.toMatch(/unexpected error|ENOENT|\n\s+at /);
    expect(result.stdout).toContain('rehearsal passed');
    expect(result.stdout).toContain('✔ rename-api: same result twice');
    expect(snapshot(repo)).toEqual(before);
  });

  it('a plan given by path in a nested folder HEAD does not have', async () => {
    const repo = makeRepo(project);
    expect((await phasegate(['init', 'demo'], { cwd: repo.dir })).exitCode).toBe(0);
    repo.write('migrations/2026/demo.yaml', repo.read('plans/demo.yaml'));
    const before = snapshot(repo);

    const result = await phasegate(['rehearse', 'migrations/2026/demo.yaml'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('rehearsal passed');
    expect(snapshot(repo)).toEqual(before);
  });

  // The same uncommitted plan, in the user's repository: restoring a checkpoint (`git clean -d`)
  // must not take the untracked plans/ folder with it.
  it('a failed phase and a rollback in the repository keep the uncommitted plan and its folder', async () => {
    const repo = makeRepo(project);
    expect((await phasegate(['init', 'demo'], { cwd: repo.dir })).exitCode).toBe(0);
    const plan = repo.read('plans/demo.yaml');
    repo.write('plans/demo.yaml', plan.replace("      - forbid: '\\boldApiCall\\('", "      - forbid: 'newApiCall'"));
    const failed = await phasegate(['run', 'demo', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(failed.exitCode, failed.all).toBe(1);
    expect(repo.read('plans/demo.yaml')).toContain("forbid: 'newApiCall'");

    repo.write('plans/demo.yaml', plan);
    const passed = await phasegate(['run', 'demo', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(passed.exitCode, passed.all).toBe(0);
    const rolledBack = await phasegate(['rollback', 'base', '--yes', '--plan', 'demo'], { cwd: repo.dir });
    expect(rolledBack.exitCode, rolledBack.all).toBe(0);
    expect(repo.read('plans/demo.yaml')).toBe(plan);
  });
});
