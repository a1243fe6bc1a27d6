import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';
import { snapshot } from './helpers/snapshot.js';
import { expectSentinels, IGNORE_BUILD, plantSentinels } from './helpers/sentinels.js';

/**
 * A renamed file stays tracked, as with `git mv`, wherever it lands: a target git would ignore
 * (an archive folder, a `*.deprecated_backup` pattern) is in the checkpoint, so the tag holds the
 * move and a rollback takes it back. A target inside another repository cannot be tracked here:
 * the step fails and the phase is reverted.
 */
const plan = (to: string) => [
  'version: 1', 'name: p', 'files: ["**/*.py"]', 'phases:', '  - id: one', '    title: one', '    transform:',
  '      - rename: a.py', `        to: '${to}'`, '    validate:', "      - forbid: 'zzz'", '',
].join('\n');

describe('rename targets', () => {
  it.each([
    { to: 'build/a.py', ignore: IGNORE_BUILD },
    { to: '{path}.deprecated_backup', ignore: IGNORE_BUILD + '*.deprecated_backup\n' },
  ])('a target git ignores ($to) is in the checkpoint, and rollback takes it back', async ({ to, ignore }) => {
    const repo = makeRepo({ '.gitignore': ignore, 'a.py': 'original a\n', 'plans/p.yaml': plan(to) });
    const planted = plantSentinels(repo);
    const target = to.replace('{path}', 'a.py');
    const run = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    expect(repo.git('ls-tree', '-r', '--name-only', 'phasegate/p/one').split('\n')).toContain(target);
    expect(repo.git('show', `phasegate/p/one:${target}`)).toBe('original a\n');
    expect(repo.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    const back = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(back.exitCode, back.all).toBe(0);
    expect(repo.exists(target)).toBe(false);
    expect(repo.read('a.py')).toBe('original a\n');
    expect(repo.git('status', '--porcelain', '--ignored', '--untracked-files=all')).not.toContain(target);
    expectSentinels(repo, planted, 'after the rollback');
  });

  it('a target inside a folder of the user\'s untracked files is in the checkpoint; their own files there stay untracked and untouched', async () => {
    const repo = makeRepo({ '.gitignore': IGNORE_BUILD, 'a.py': 'original a\n', 'plans/p.yaml': plan('notes/a.py') });
    const planted = plantSentinels(repo);
    const run = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    expect(repo.git('ls-tree', '-r', '--name-only', 'phasegate/p/one').split('\n')).toEqual(expect.arrayContaining(['notes/a.py']));
    expect(repo.git('ls-tree', '-r', '--name-only', 'phasegate/p/one')).not.toContain('notes/todo.txt');
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('?? notes/todo.txt\n');
    const back = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(back.exitCode, back.all).toBe(0);
    expect(repo.exists('notes/a.py')).toBe(false);
    expectSentinels(repo, planted, 'after the rollback');
  });

  it('a target inside another repository fails the step; the phase is reverted and that repository is untouched', async () => {
    const repo = makeRepo({ '.gitignore': IGNORE_BUILD, 'a.py': 'original a\n', 'plans/p.yaml': plan('vendor/lib/a.py') });
    mkdirSync(path.join(repo.dir, 'vendor/lib'), { recursive: true });
    repo.write('vendor/lib/README', 'their repository\n');
    // A nested repository of the user's own (a checkout inside the tree, not a submodule).
    repo.git('-C', path.join(repo.dir, 'vendor/lib'), 'init', '-q');
    const planted = plantSentinels(repo);
    const before = snapshot(repo);
    const run = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(1);
    expect(run.all).toContain('vendor/lib');
    expect(run.all).toContain('another git repository');
    const after = snapshot(repo);
    expect(after.files).toEqual(before.files);
    expect(after.head).toBe(before.head);
    expectSentinels(repo, planted, 'after the revert');
  });
});
