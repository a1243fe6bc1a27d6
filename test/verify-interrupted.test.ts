import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { makeRepo } from './helpers/repo.js';
import { snapshot } from './helpers/snapshot.js';

/**
 * `verify` on HEAD judges the working tree as it is. After a phasegate command was killed half-way,
 * that tree may hold a half-done transform: verify says so (and which command restores it) rather
 * than passing or failing on it silently, and it still changes nothing.
 */
describe('verify after an interrupted command', () => {
  it('warns that the working tree may hold half-done work, and leaves the recovery to run/rollback', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    const first = await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir });
    expect(first.exitCode, first.all).toBe(0);
    const killed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir, env: { PHASEGATE_FAILPOINT: 'during-transform' } });
    expect(killed.exitCode).not.toBe(0);
    const before = snapshot(repo);

    const verify = await phasegate(['verify', 'shop'], { cwd: repo.dir });
    expect(verify.stderr).toMatch(/interrupted/);
    expect(verify.stderr).toMatch(/phase 'sender'/);
    expect(verify.stderr).toMatch(/phasegate (run|rollback|status)/);
    // Read-only: the half-done tree and the journal are left for the command that restores them.
    expect(snapshot(repo)).toEqual(before);
    expect(existsSync(path.join(repo.dir, '.git', 'phasegate', 'journal.json'))).toBe(true);
  });

  it('says nothing of the kind when no command was interrupted', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    const run = await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    const verify = await phasegate(['verify', 'shop'], { cwd: repo.dir });
    expect(verify.exitCode, verify.all).toBe(0);
    expect(verify.stderr).not.toMatch(/interrupted/);
  });
});
