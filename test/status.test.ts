import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { makeRepo } from './helpers/repo.js';
import { tagCommit } from './helpers/git-reads.js';

describe('phasegate status', () => {
  it('shows each phase\'s tag, commit, time and score, and which phase comes next', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    const fresh = await phasegate(['status'], { cwd: repo.dir });
    expect(fresh.exitCode, fresh.all).toBe(0);
    expect(fresh.stdout).toContain('plan shop (plans/shop.yaml)');
    expect(fresh.stdout).toContain('base  not started');
    expect(fresh.stdout).toContain('next: imports');

    expect((await phasegate(['run', 'shop', '--yes', '--to', 'sender'], { cwd: repo.dir })).exitCode).toBe(0);
    const text = await phasegate(['status', 'shop'], { cwd: repo.dir });
    const importsCommit = tagCommit(repo, 'shop', 'imports');
    expect(text.stdout).toMatch(new RegExp(`✔ imports +phasegate/shop/imports +${importsCommit.slice(0, 10)} +\\d{4}-\\d\\d-\\d\\dT[\\d:]+[+-]\\d\\d:\\d\\d +score 100%`));
    expect(text.stdout).toContain('next: docs');

    const json = JSON.parse((await phasegate(['status', 'shop', '--json'], { cwd: repo.dir })).stdout);
    expect(json).toMatchObject({ plan: 'shop', next: 'docs', branch: 'phasegate/shop', interrupted: null });
    expect(json.phases.map((p: { id: string; tagged: boolean }) => [p.id, p.tagged])).toEqual([['imports', true], ['sender', true], ['docs', false]]);
    expect(json.phases[0]).toMatchObject({ tag: 'phasegate/shop/imports', commit: importsCommit, score: 100 });
    expect(json.base.tag).toBe('phasegate/shop/base');
  });
});
