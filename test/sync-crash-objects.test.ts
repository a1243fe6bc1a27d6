import { mkdtempSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { tempDir } from './helpers/repo.js';
import { BRANCH, migrated, onMain, planRefs } from './helpers/sync-repo.js';
import { mainChangesIgnoreRules } from './helpers/sync-in-place.js';

/**
 * Sync brings the rebuild's objects into the repository before it moves any ref. A crash right
 * then (SIGKILL, at the failpoint) must leave the branch, the tags, HEAD and every file —
 * tracked, untracked, ignored — as they were, the repository intact, and a later sync able to
 * finish. The scratch clone a killed process leaves goes to a TMPDIR the test removes.
 */
const extraDirs: string[] = [];
afterEach(() => {
  for (const dir of extraDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function snapshot(repo: Awaited<ReturnType<typeof migrated>>) {
  return {
    refs: planRefs(repo),
    head: repo.git('symbolic-ref', 'HEAD').trim(),
    status: repo.git('status', '--porcelain', '--ignored', '--untracked-files=all'),
    files: ['app/a.py', 'app/b.py', 'notes.txt', 'build/out.log'].map((file) => (repo.exists(file) ? repo.read(file) : null)),
  };
}

describe('phasegate sync: killed after the objects came in, before anything moved', () => {
  it('leaves branch, tags, HEAD, untracked and ignored files as before; the next sync finishes', async () => {
    const repo = await migrated();
    // About the scratch clone's objects: main changes an ignore rule, so the sync replays in a clone.
    onMain(repo, () => { repo.write('app/c.py', 'from old.mod import thing\n'); mainChangesIgnoreRules(repo); });
    repo.write('.git/info/exclude', 'build/\n');
    repo.write('notes.txt', 'mine, untracked\n');
    repo.write('build/out.log', 'mine, ignored\n');
    const before = snapshot(repo);

    const tmp = tempDir('phasegate-tmp-');
    const killed = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir, env: { TMPDIR: tmp, PHASEGATE_FAILPOINT: 'sync-before-publish' } });
    expect(killed.exitCode, killed.all).not.toBe(0);
    expect(killed.all).not.toContain('now starts from main');
    expect(snapshot(repo)).toEqual(before);
    repo.git('fsck', '--connectivity-only', '--no-dangling', '--no-progress');

    const again = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir, env: { TMPDIR: tmp } });
    expect(again.exitCode, again.all).toBe(0);
    expect(repo.git('show', `${BRANCH}:app/c.py`)).toBe('from new.mod import thing\n');
    expect(repo.read('notes.txt')).toBe('mine, untracked\n');
    expect(repo.read('build/out.log')).toBe('mine, ignored\n');
    repo.git('fsck', '--connectivity-only', '--no-dangling', '--no-progress');
  });

  it('a scratch clone on another file system (objects copied, not linked): complete, no temporary files left', async () => {
    const shm = '/dev/shm';
    let elsewhere: string | undefined;
    try {
      if (statfsSync(shm).type !== statfsSync(tempDir()).type) elsewhere = mkdtempSync(path.join(shm, 'phasegate-tmp-'));
    } catch {
      elsewhere = undefined;
    }
    if (!elsewhere) return; // no second file system here: the linked path is what the other tests cover
    extraDirs.push(elsewhere);
    const repo = await migrated();
    onMain(repo, () => { repo.write('app/c.py', 'from old.mod import thing\n'); mainChangesIgnoreRules(repo); });
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir, env: { TMPDIR: elsewhere } });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.git('show', `${BRANCH}:app/c.py`)).toBe('from new.mod import thing\n');
    repo.git('fsck', '--connectivity-only', '--no-dangling', '--no-progress');
    const objects = path.join(repo.dir, '.git', 'objects');
    const leftovers = readdirSync(objects).flatMap((folder) => (folder.length === 2 ? readdirSync(path.join(objects, folder)).filter((name) => name.startsWith('tmp_')) : []));
    expect(leftovers).toEqual([]);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
