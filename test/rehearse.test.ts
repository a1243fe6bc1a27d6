import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { makeRepo } from './helpers/repo.js';
import { snapshot } from './helpers/snapshot.js';

describe('phasegate rehearse', () => {
  it('passes a good plan: apply, roll back to base, apply again — repository untouched', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }) });
    const before = snapshot(repo);
    const result = await phasegate(['rehearse', 'shop'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('rehearsal passed');
    for (const id of ['imports', 'sender', 'docs']) expect(result.stdout).toContain(`✔ ${id}: same result twice`);
    expect(snapshot(repo)).toEqual(before);
  });

  it('fails, naming the phase, when a transform is not repeatable', async () => {
    const plan = threePhasePlan({ rollbackLog: '/dev/null' }).replace("printf '\\nNotifications go through core.notify.\\n' >> README.md", "date +%s%N >> README.md; echo core.notify >> README.md");
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': plan });
    const before = snapshot(repo);
    const result = await phasegate(['rehearse', 'shop'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toContain("phase 'docs' is not repeatable");
    expect(result.stdout).toContain('README.md');
    expect(snapshot(repo)).toEqual(before);
  });

  it('fails when a rollback procedure fails or leaves files behind', async () => {
    const plan = threePhasePlan({ rollbackLog: '/dev/null' }).replace('      - run: echo docs >> "/dev/null"', '      - run: echo cannot undo; exit 4');
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': plan });
    const result = await phasegate(['rehearse', 'shop'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toContain("phase 'docs': rollback step `echo cannot undo; exit 4` exited with status 4");
  });

  it('says so when the migration holds commits a person added between phase tags, which it cannot replay; no phase is marked failed before the rehearsal compared it', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }) });
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir })).exitCode).toBe(0);
    repo.write('NOTES.md', 'a fix by hand\n');
    const byHand = repo.commitAll('a fix by hand');
    expect((await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    const result = await phasegate(['rehearse', 'shop'], { cwd: repo.dir });
    expect(result.stdout).toContain(`1 commit(s) a person added between phase tags (${byHand.slice(0, 10)})`);
    expect(result.stdout).not.toMatch(/✖ (imports|sender|docs)\b/);
  });
});
