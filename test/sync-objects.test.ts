import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { BRANCH, migrated, onMain, planRefs } from './helpers/sync-repo.js';
import type { TestRepo } from './helpers/repo.js';

/**
 * The rebuild's commits, trees and tags are made in a scratch clone that borrows the repository's
 * objects; sync brings the new ones into the repository before any ref points at them. Whatever
 * way that is done, a branch, tag or attempt ref must never point at something the repository
 * cannot read once the clone is gone.
 */
function expectComplete(repo: TestRepo): void {
  // Exits non-zero (and the helper throws) on any missing or broken object reachable from a ref.
  repo.git('fsck', '--connectivity-only', '--no-dangling', '--no-progress');
  expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/phasegate-sync', 'refs/phasegate/mig/sync-work').trim()).toBe('');
}

describe('phasegate sync: the rebuild is complete in the repository', () => {
  it('a synced branch and its tags: every object readable; an edit on main beside a rewritten line keeps the phase "same"', async () => {
    const repo = await migrated();
    onMain(repo, () => {
      repo.write('app/c.py', 'from old.mod import thing\nz = thing\n');
      // A line no phase touches, in a file both phases rewrite: the files' blobs differ from the
      // first migration, the lines each phase changes do not.
      repo.write('app/a.py', 'from old.mod import thing\nprint(thing)\nz = 2\n');
    });
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/more\s+imports.*app\/c\.py/);
    expect(result.stdout).not.toContain('app/a.py');
    expect(result.stdout).toMatch(/same\s+calls/);
    expect(repo.git('show', `${BRANCH}:app/c.py`)).toBe('from new.mod import thing\nz = thing\n');
    expect(repo.git('show', 'phasegate/mig/imports:app/a.py')).toBe('from new.mod import thing\nprint(thing)\nz = 2\n');
    expect(repo.read('app/a.py')).toBe('from new.mod import thing\nlog(thing)\nz = 2\n');
    expect(repo.git('status', '--porcelain', '--ignored').trim()).toBe('');
    expectComplete(repo);
  });

  it('a file main deleted that a phase rewrote: outcome different, and the attempt is complete when a later phase fails', async () => {
    const repo = await migrated();
    const before = planRefs(repo);
    onMain(repo, () => {
      repo.git('rm', '-q', 'app/b.py');
      // Phase 'calls' rewrites print(thing) only; this one stays and fails its forbid check.
      repo.write('app/a.py', 'from old.mod import thing\nprint(thing, 1)\n');
    });
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toMatch(/different\s+imports.*app\/b\.py/);
    expect(result.stdout).toMatch(/failed\s+calls/);
    expect(planRefs(repo)).toEqual(before);
    const attempts = repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/sync-attempt/'));
    expect(attempts).toHaveLength(1);
    expect(repo.git('show', `${attempts[0]}:app/a.py`)).toBe('from new.mod import thing\nprint(thing, 1)\n');
    expect(repo.git('ls-tree', '--name-only', `${attempts[0]}`, 'app/').trim()).toBe('app/a.py');
    expectComplete(repo);
  });
});
