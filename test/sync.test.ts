import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { BRANCH, migrated, onMain, planRefs, tagCommit } from './helpers/sync-repo.js';

/** `phasegate sync` on real repositories: the plan and helpers are in helpers/sync-repo.ts. */
describe('phasegate sync', () => {
  it('a sync with main unchanged: every phase the same, nothing moves, exit 0', async () => {
    const repo = await migrated();
    const before = planRefs(repo);
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/same\s+imports/);
    expect(result.stdout).toMatch(/same\s+calls/);
    expect(planRefs(repo)).toEqual(before);
  });

  it('(a) main gains a file with the deprecated import: outcome more, the file migrated, tags moved, old ones kept', async () => {
    const repo = await migrated();
    const before = planRefs(repo);
    const oldImports = tagCommit(repo, 'imports');
    onMain(repo, () => repo.write('app/c.py', 'from old.mod import thing\n'));
    const mainTip = repo.git('rev-parse', 'main').trim();

    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/more\s+imports.*app\/c\.py/);
    expect(result.stdout).toMatch(/same\s+calls/);
    // The branch now starts from main's tip, and the new file went through phase 1.
    expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe(BRANCH);
    expect(repo.read('app/c.py')).toBe('from new.mod import thing\n');
    expect(repo.git('status', '--porcelain').trim()).toBe('');
    expect(repo.git('merge-base', '--is-ancestor', mainTip, BRANCH) === '').toBe(true);
    expect(repo.git('rev-parse', 'phasegate/mig/base^{commit}').trim()).toBe(mainTip);
    expect(tagCommit(repo, 'imports')).not.toBe(oldImports);
    expect(repo.git('log', '-1', '--format=%B', 'phasegate/mig/imports^{commit}')).toContain('Phasegate-Phase: imports');
    expect(tagCommit(repo, 'calls')).toBe(repo.git('rev-parse', BRANCH).trim());
    // The old tags and branch tip stay reachable under refs/phasegate/mig/synced/<time>/.
    const synced = repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/synced/'));
    const kept = Object.fromEntries(synced.map((ref) => [ref.split('/').pop(), repo.git('rev-parse', ref).trim()]));
    expect(kept.imports).toBe(before['refs/tags/phasegate/mig/imports']);
    expect(kept.calls).toBe(before['refs/tags/phasegate/mig/calls']);
    expect(kept['branch.tip']).toBe(before[`refs/heads/${BRANCH}`]);
    // status agrees: nothing to sync any more.
    const status = await phasegate(['status', 'mig'], { cwd: repo.dir });
    expect(status.stdout).not.toContain('run phasegate sync');
  });

  it('status says a sync is due when main moved since the migration started', async () => {
    const repo = await migrated();
    onMain(repo, () => repo.write('app/c.py', 'y = 1\n'));
    const status = await phasegate(['status', 'mig'], { cwd: repo.dir });
    expect(status.exitCode, status.all).toBe(0);
    expect(status.stdout).toContain('base main has 1 new commit since the migration started; run phasegate sync mig');
  });

  it('(b) an edit on main to a line a phase rewrote: outcome different', async () => {
    const repo = await migrated();
    const oldTip = repo.git('rev-parse', BRANCH).trim();
    onMain(repo, () => repo.write('app/b.py', 'from old.mod import thing, other\nx = thing\n'));
    repo.git('branch', 'release', 'main');
    const result = await phasegate(['sync', 'mig', '--onto', 'release', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/different\s+imports/);
    expect(result.stdout).toContain('app/b.py');
    expect(repo.read('app/b.py')).toBe('from new.mod import thing, other\nx = thing\n');
    expect(repo.git('rev-parse', 'phasegate/mig/base^{commit}').trim()).toBe(repo.git('rev-parse', 'release').trim());
    // Nothing lost: the old tip stays reachable.
    expect(repo.refs().some((ref) => ref.startsWith('refs/phasegate/mig/synced/') && repo.git('rev-parse', ref).trim() === oldTip)).toBe(true);
  });

  it('(b) an edit on main so that a rewritten line no longer matches: outcome failed, branch and tags unchanged, exit 1', async () => {
    const repo = await migrated();
    const before = planRefs(repo);
    const tree = repo.git('rev-parse', 'HEAD^{tree}').trim();
    onMain(repo, () => repo.write('app/a.py', 'from old.mod import thing\nprint(thing, 1)\n'));
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toMatch(/failed\s+calls/);
    expect(result.all).toContain("phase 'calls'");
    expect(planRefs(repo)).toEqual(before);
    expect(repo.git('rev-parse', 'HEAD^{tree}').trim()).toBe(tree);
    expect(repo.git('status', '--porcelain').trim()).toBe('');
    const attempts = repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/sync-attempt/'));
    expect(attempts).toHaveLength(1);
    // The attempt holds the rebuilt phase that failed: main's edit, phase 1 applied.
    expect(repo.git('show', `${attempts[0]}:app/a.py`)).toBe('from new.mod import thing\nprint(thing, 1)\n');
  });

  it('(c) a manual commit on the migration branch that conflicts with main: outcome conflict, nothing moves, exit 1', async () => {
    const repo = await migrated();
    repo.write('app/b.py', 'from new.mod import thing\nx = thing + 1\n');
    repo.commitAll('hand fix on the migration branch');
    const before = planRefs(repo);
    onMain(repo, () => repo.write('app/b.py', 'from old.mod import thing\nx = thing * 2\n'));
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toMatch(/conflict\s+calls/);
    expect(result.all).toContain('hand fix on the migration branch');
    expect(planRefs(repo)).toEqual(before);
    expect(repo.read('app/b.py')).toBe('from new.mod import thing\nx = thing + 1\n');
    expect(repo.git('status', '--porcelain').trim()).toBe('');
    expect(repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/sync-attempt/'))).toHaveLength(1);
  });

  it('failed and conflict: the pre-sync tip and tags are kept under refs/phasegate/<plan>/synced/<time>/ too, and the output says where', async () => {
    const failed = await migrated();
    onMain(failed, () => failed.write('app/a.py', 'from old.mod import thing\nprint(thing, 1)\n'));
    const conflicting = await migrated();
    conflicting.write('app/b.py', 'from new.mod import thing\nx = thing + 1\n');
    conflicting.commitAll('hand fix on the migration branch');
    onMain(conflicting, () => conflicting.write('app/b.py', 'from old.mod import thing\nx = thing * 2\n'));
    for (const [repo, outcome] of [[failed, 'failed'], [conflicting, 'conflict']] as const) {
      const before = planRefs(repo);
      const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
      expect(result.exitCode, result.all).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`${outcome}\\s+calls`));
      expect(planRefs(repo)).toEqual(before);
      const synced = repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/synced/'));
      const kept = Object.fromEntries(synced.map((ref) => [ref.split('/').pop(), repo.git('rev-parse', ref).trim()]));
      expect(kept, outcome).toEqual({
        'branch.tip': before[`refs/heads/${BRANCH}`], base: before['refs/tags/phasegate/mig/base'],
        imports: before['refs/tags/phasegate/mig/imports'], calls: before['refs/tags/phasegate/mig/calls'],
      });
      const folder = synced[0].split('/').slice(0, -1).join('/');
      expect(result.stdout).toContain(`${folder}/`);
      // The attempt is still kept on its own ref, at the same time stamp.
      expect(repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/sync-attempt/'))).toEqual([folder.replace('/synced/', '/sync-attempt/')]);
    }
  });

  it('carries a manual commit over after its phase when it applies; started from main, main stays checked out', async () => {
    const repo = await migrated();
    repo.write('app/notes.py', 'z = 3\n');
    const manual = repo.commitAll('hand addition');
    onMain(repo, () => repo.write('app/c.py', 'y = 1\n'));
    repo.git('checkout', '-q', 'main');
    const mainTip = repo.head();
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.git('log', '-1', '--format=%s', BRANCH).trim()).toBe('hand addition');
    expect(repo.git('rev-parse', BRANCH).trim()).not.toBe(manual);
    expect(repo.git('show', `${BRANCH}:app/notes.py`)).toBe('z = 3\n');
    expect(repo.git('show', `${BRANCH}:app/c.py`)).toBe('y = 1\n');
    // Where the user is, nothing changed.
    expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
    expect(repo.head()).toBe(mainTip);
    expect(repo.exists('app/notes.py')).toBe(false);
    expect(repo.git('status', '--porcelain').trim()).toBe('');
  });

  it('refuses a dirty working tree (exit 2) and changes nothing', async () => {
    const repo = await migrated();
    onMain(repo, () => repo.write('app/c.py', 'y = 1\n'));
    repo.write('app/a.py', 'edited\n');
    const before = planRefs(repo);
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('uncommitted changes');
    expect(planRefs(repo)).toEqual(before);
  });
});
