import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, type TestRepo } from './helpers/repo.js';

/**
 * A submodule is tracked by its repository as one path (a gitlink), but it is not a file of that
 * repository: its files belong to another repository, with its own uncommitted work. A `rename:`
 * moved its folder (leaving git's link to it pointing at nothing: every later `git status` failed),
 * and a `delete:` removed the folder with the submodule's untracked files in it. `rename:` and
 * `delete:` work on this repository's files: a submodule named outright is refused with a clear
 * message, and a glob or a folder around it passes over it.
 */
function repoWithSubmodule(plan: string): TestRepo {
  const sub = makeRepo({ 'lib.py': 'x = 1\n' });
  const repo = makeRepo({ 'app.py': 'x = 1\n', 'vendor/keep.py': 'x = 1\n', 'plans/p.yaml': plan });
  repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'vendor/sub');
  repo.commitAll('add a submodule');
  // The submodule's own work in progress: untracked, so nothing in either repository can give it back.
  repo.write('vendor/sub/notes.txt', 'my notes\n');
  return repo;
}

const planWith = (...step: string[]) => ['version: 1', 'name: p', 'phases:', '  - id: one', '    transform:', ...step.map((line) => `      ${line}`), ''].join('\n');

function expectSubmoduleIntact(repo: TestRepo): void {
  expect(readFileSync(path.join(repo.dir, 'vendor/sub/notes.txt'), 'utf8')).toBe('my notes\n');
  expect(readFileSync(path.join(repo.dir, 'vendor/sub/lib.py'), 'utf8')).toBe('x = 1\n');
  // git still finds the submodule where it links to it: nothing changed but the notes.
  expect(repo.git('status', '--porcelain', '--ignore-submodules=untracked')).toBe('');
  expect(repo.git('-C', 'vendor/sub', 'status', '--porcelain')).toBe('?? notes.txt\n');
}

describe('rename and delete leave submodules alone', () => {
  for (const [verb, step] of [
    ['rename', ['- rename: vendor/sub', '  to: vendor/sub2']],
    ['delete', ['- delete: vendor/sub']],
  ] as const) {
    it(`${verb} naming a submodule fails the phase with a clear message; the submodule and its files stay`, async () => {
      const repo = repoWithSubmodule(planWith(...step));
      const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir });
      expect(result.exitCode, result.all).toBe(1);
      expect(result.all).toMatch(/vendor\/sub.*is a submodule/);
      expect(existsSync(path.join(repo.dir, 'vendor/sub2'))).toBe(false);
      expectSubmoduleIntact(repo);
    });
  }

  it('renaming the folder a submodule is in moves the folder\'s files and leaves the submodule where it is', async () => {
    const repo = repoWithSubmodule(planWith('- rename: vendor', '  to: lib'));
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(readFileSync(path.join(repo.dir, 'lib/keep.py'), 'utf8')).toBe('x = 1\n');
    expect(existsSync(path.join(repo.dir, 'lib/sub'))).toBe(false);
    expectSubmoduleIntact(repo);
  });

  it('a glob over a folder with a submodule in it deletes the files and passes over the submodule', async () => {
    const repo = repoWithSubmodule(planWith("- delete: 'vendor/*'"));
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(existsSync(path.join(repo.dir, 'vendor/keep.py'))).toBe(false);
    expectSubmoduleIntact(repo);
  });
});

describe('a failed phase whose command changed files inside a submodule', () => {
  it('is reverted there too: the submodule back at its commit with a clean tree, the change kept in its stash, its untracked notes left alone', async () => {
    const repo = repoWithSubmodule(planWith("- run: 'echo patched > vendor/sub/lib.py'").replace('phases:\n  - id: one\n    transform:', 'phases:\n  - id: one\n    validate:\n      - require: never-there\n    transform:'));
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expectSubmoduleIntact(repo);
    expect(result.all).toContain('vendor/sub');
    const stash = repo.git('-C', 'vendor/sub', 'stash', 'list');
    expect(stash).toContain('phasegate');
    expect(repo.git('-C', 'vendor/sub', 'show', 'stash@{0}:lib.py')).toBe('patched\n');
  });

  it('a command that committed inside the submodule: its HEAD goes back to the recorded commit, the commit stays in its history of moves', async () => {
    const step = "- run: 'cd vendor/sub && echo patched > lib.py && git -c user.name=t -c user.email=t@t commit -qam patch'";
    const repo = repoWithSubmodule(planWith(step).replace('phases:\n  - id: one\n    transform:', 'phases:\n  - id: one\n    validate:\n      - require: never-there\n    transform:'));
    const recorded = repo.git('-C', 'vendor/sub', 'rev-parse', 'HEAD').trim();
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expectSubmoduleIntact(repo);
    expect(repo.git('-C', 'vendor/sub', 'rev-parse', 'HEAD').trim()).toBe(recorded);
    expect(repo.git('-C', 'vendor/sub', 'reflog', '--format=%gs')).toContain('commit: patch');
  });
});
