import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { makeRepo, tempDir } from './helpers/repo.js';
import path from 'node:path';

/** `status` shows the last attempt of each phase: failed, interrupted or rolled back; when; why; where its work is. */
describe('status tells the whole story', () => {
  it('a failed phase shows as failed, with when, why and the ref that keeps its work', async () => {
    const log = path.join(tempDir(), 'rollback.log');
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ breakPhaseTwo: true, rollbackLog: log }) });
    const run = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(1);

    const text = await phasegate(['status'], { cwd: repo.dir });
    expect(text.exitCode, text.all).toBe(0);
    const line = text.stdout.split('\n').find((entry) => /\bsender\b/.test(entry) && !entry.includes('next:'))!;
    expect(line).toMatch(/✖ sender +failed \d{4}-\d\d-\d\dT[\d:]+/);
    expect(text.stdout).toContain('checks failed');
    expect(text.stdout).toContain('refs/phasegate/shop/failed/sender');

    const json = JSON.parse((await phasegate(['status', 'shop', '--json'], { cwd: repo.dir })).stdout);
    const sender = json.phases.find((phase: { id: string }) => phase.id === 'sender');
    expect(sender.lastAttempt).toMatchObject({ status: 'failed', ref: 'refs/phasegate/shop/failed/sender' });
    expect(sender.lastAttempt.reason).toMatch(/checks failed/);
    expect(Date.parse(sender.lastAttempt.at)).not.toBeNaN();
    expect(sender.lastAttempt.commit).toBe(repo.git('rev-parse', 'refs/phasegate/shop/failed/sender').trim());
    expect(json.phases.find((phase: { id: string }) => phase.id === 'imports').lastAttempt).toBeNull();

    // Rolled back: the undone phase says so, and where its commit is kept.
    expect((await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    const after = await phasegate(['status', 'shop'], { cwd: repo.dir });
    expect(after.stdout).toMatch(/↩ imports +rolled back \d{4}-/);
    expect(after.stdout).toContain('refs/phasegate/shop/undone/imports');
    const afterJson = JSON.parse((await phasegate(['status', 'shop', '--json'], { cwd: repo.dir })).stdout);
    expect(afterJson.phases[0].lastAttempt).toMatchObject({ status: 'rolled-back', ref: 'refs/phasegate/shop/undone/imports' });
    expect(afterJson.phases[0].lastAttempt.reason).toMatch(/rollback to phasegate\/shop\/base/);
  });
});
