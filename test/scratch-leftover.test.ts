import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir } from './helpers/repo.js';
import { FILES } from './helpers/sync-repo.js';

/**
 * A sync killed after making its scratch clone but before its journal names it: the clone (a full
 * checkout of the repository) must not stay in TMPDIR for ever. The next command that takes over
 * the dead process's lock removes the scratch folders that process made, and only those.
 */
describe('scratch clone of a killed sync', () => {
  it('is removed by the next command that takes over the lock; other folders in TMPDIR stay', async () => {
    const repo = makeRepo(FILES);
    const run = await phasegate(['run', 'mig', '--yes'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    repo.git('checkout', '-q', 'main');
    repo.write('app/c.py', 'from old.mod import thing\n');
    repo.git('add', 'app/c.py');
    repo.git('commit', '-q', '-m', 'main gains c.py');
    // Started from main (the migration branch not checked out), sync rebuilds in a scratch clone.

    const tmp = tempDir();
    // Somebody else's folders with similar names: never phasegate's to remove.
    mkdirSync(path.join(tmp, 'phasegate-sync-notes'));
    mkdirSync(path.join(tmp, 'unrelated'));
    const env = { TMPDIR: tmp };
    const killed = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir, env: { ...env, PHASEGATE_FAILPOINT: 'scratch-ready' } });
    expect(killed.exitCode, killed.all).toBe(-1); // SIGKILL
    const left = readdirSync(tmp).filter((name) => !['phasegate-sync-notes', 'unrelated'].includes(name));
    expect(left).toHaveLength(1);

    const again = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir, env });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toMatch(/took over a lock/);
    expect(readdirSync(tmp).sort()).toEqual(['phasegate-sync-notes', 'unrelated']);
  });
});
