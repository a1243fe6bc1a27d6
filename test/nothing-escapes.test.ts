import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';
import { onePhasePlan } from './helpers/plan-yaml.js';

/**
 * The promise "phasegate never reads or writes outside the repository's working tree, whatever
 * the plan says and whatever symlinks the repository holds", and "a command that cannot go on
 * refuses with exit 2 and one clear line, leaving the repository as it found it".
 */

function plan(phaseBody: string, top = ''): string {
  return onePhasePlan('t', phaseBody, top);
}

/** Every file under `dir` with its bytes, to compare a folder before and after. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(dir, full)] = readFileSync(full).toString('base64');
    }
  };
  walk(dir);
  return files;
}

/** What a refused command must leave: same branch, same commit, no new refs, a clean tree. */
function expectUntouched(repo: TestRepo, before: { head: string; refs: string[] }) {
  expect(repo.git('branch', '--show-current').trim()).toBe('main');
  expect(repo.head()).toBe(before.head);
  expect(repo.refs()).toEqual(before.refs);
  expect(repo.git('status', '--porcelain', '--untracked-files=no')).toBe('');
}

const stateOf = (repo: TestRepo) => ({ head: repo.head(), refs: repo.refs() });

/** One line on stderr, no stack trace, no "bug". */
function expectOneLineRefusal(result: { exitCode: number; stderr: string; all: string }) {
  expect(result.exitCode, result.all).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\bbug\b|\n\s+at /);
}

describe('nothing escapes the working tree', () => {
  it('refuses, before anything runs, a rename into a tracked symlink to a folder outside', async () => {
    const outside = tempDir('phasegate-outside-');
    writeFileSync(path.join(outside, 'keep.txt'), 'outside\n');
    const repo = makeRepo({
      'src/a.py': 'x = 1\n',
      'plans/t.yaml': plan("    transform:\n      - rename: src/a.py\n        to: ldir/a.py\n      - replace: 'x = 1'\n        with: 'x = 2'\n"),
    });
    symlinkSync(outside, path.join(repo.dir, 'ldir'));
    repo.commitAll('link');
    const before = stateOf(repo);
    const outsideBefore = snapshot(outside);

    const checked = await phasegate(['check', 't'], { cwd: repo.dir });
    expectOneLineRefusal(checked);
    expect(checked.stderr).toMatch(/plans\/t\.yaml:7:\d+: .*to: .*'ldir' is a symlink to .*outside the working tree/);

    const ran = await phasegate(['run', 't', '--yes'], { cwd: repo.dir });
    expect(ran.exitCode, ran.all).toBe(2);
    expect(ran.stderr).toContain("'ldir' is a symlink");
    expect(snapshot(outside)).toEqual(outsideBefore);
    expect(repo.read('src/a.py')).toBe('x = 1\n');
    expectUntouched(repo, before);
  });

  it('a rename target known only at run time that goes through a symlink fails the phase; nothing is written outside', async () => {
    const outside = tempDir('phasegate-outside-');
    const repo = makeRepo({
      'a.py': 'x = 1\n',
      'plans/t.yaml': plan("    transform:\n      - rename: a.py\n        to: '{name}/moved.py'\n"),
    });
    // `{name}` of a.py is `a`: a tracked symlink to a folder outside the repository.
    symlinkSync(outside, path.join(repo.dir, 'a'));
    repo.commitAll('link');
    const before = repo.head();

    const result = await phasegate(['run', 't', '--yes', '--report', '.git/r.json'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toMatch(/'a' is a symlink to .*outside the working tree/);
    expect(readdirSync(outside)).toEqual([]);
    expect(repo.read('a.py')).toBe('x = 1\n');
    expect(repo.head()).toBe(before);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('replace and forbid neither read nor write through a tracked symlink to a file outside', async () => {
    const outside = tempDir('phasegate-outside-');
    writeFileSync(path.join(outside, 'secret.py'), 'x = 1\nSECRET\n');
    const repo = makeRepo({
      'a.py': 'x = 1\n',
      'plans/t.yaml': plan("    transform:\n      - replace: 'x = 1'\n        with: 'x = 2'\n    validate:\n      - forbid: SECRET\n"),
    });
    symlinkSync(path.join(outside, 'secret.py'), path.join(repo.dir, 'link.py'));
    repo.commitAll('link');
    const outsideBefore = snapshot(outside);

    const result = await phasegate(['run', 't', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/forbid \/SECRET\/ — no matches/);
    expect(repo.read('a.py')).toBe('x = 2\n');
    expect(snapshot(outside)).toEqual(outsideBefore);
  });

  it('a tracked path hidden beyond a symlinked folder (skip-worktree) is refused, nothing read or written outside', async () => {
    const outside = tempDir('phasegate-outside-');
    writeFileSync(path.join(outside, 'b.py'), 'x = 1\nSECRET\n');
    const repo = makeRepo({
      'a.py': 'x = 1\n',
      'ldir/b.py': 'x = 1\n',
      'plans/t.yaml': plan("    transform:\n      - replace: 'x = 1'\n        with: 'x = 2'\n    validate:\n      - forbid: SECRET\n"),
    });
    // git keeps `ldir/b.py` in the index (skip-worktree) while the working tree has `ldir` as a
    // symlink to the outside folder; git status stays clean. A check could not see that file, so
    // the run is refused as a sparse checkout is.
    repo.git('update-index', '--skip-worktree', 'ldir/b.py');
    mkdirSync(path.join(repo.dir, '.git/info'), { recursive: true });
    writeFileSync(path.join(repo.dir, '.git/info/exclude'), 'ldir\n');
    rmSync(path.join(repo.dir, 'ldir'), { recursive: true });
    symlinkSync(outside, path.join(repo.dir, 'ldir'));
    const outsideBefore = snapshot(outside);
    const head = repo.head();

    const result = await phasegate(['run', 't', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.all).toMatch(/skip-worktree/);
    expect(repo.read('a.py')).toBe('x = 1\n');
    expect(repo.head()).toBe(head);
    expect(snapshot(outside)).toEqual(outsideBefore);
  });

  it('refuses .git in any case and at any depth as a rename target', async () => {
    const repo = makeRepo({ 'a.py': 'x = 1\n' });
    const before = stateOf(repo);
    for (const [index, target] of ['.GIT/config', 'sub/.Git/config', '.git/hooks/pre-commit'].entries()) {
      writeFileSync(path.join(repo.dir, `p${index}.yaml`), plan(`    transform:\n      - rename: a.py\n        to: '${target}'\n`));
      const result = await phasegate(['check', `p${index}.yaml`], { cwd: repo.dir });
      expect(result.exitCode, `${target}: ${result.all}`).toBe(2);
      expect(result.stderr).toMatch(/\.yaml:7:\d+: .*to: .*reaches into \.git/);
    }
    expectUntouched(repo, before);
  });

  it('init writes no plan through a symlinked plans folder', async () => {
    const outside = tempDir('phasegate-outside-');
    const repo = makeRepo({ 'a.py': 'x = 1\n' });
    symlinkSync(outside, path.join(repo.dir, 'plans'));
    const result = await phasegate(['init'], { cwd: repo.dir });
    expectOneLineRefusal(result);
    expect(result.stderr).toMatch(/'plans' is a symlink to .*outside the working tree/);
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe('bad input is refused cleanly', () => {
  it('--report, --summary or --junit naming a tracked file or the plan is refused before anything runs', async () => {
    const repo = makeRepo({ 'README.md': 'read me\n', 'a.py': 'x = 1\n', 'plans/t.yaml': plan("    transform:\n      - replace: 'x'\n        with: 'y'\n") });
    const before = stateOf(repo);
    for (const flag of ['--report', '--summary', '--junit']) {
      const result = await phasegate(['run', 't', '--yes', flag, 'README.md'], { cwd: repo.dir });
      expectOneLineRefusal(result);
      expect(result.stderr).toContain(`${flag} README.md`);
      expect(repo.read('README.md')).toBe('read me\n');
      expectUntouched(repo, before);
    }
    const planTarget = await phasegate(['run', 't', '--yes', '--report', 'plans/t.yaml'], { cwd: repo.dir });
    expectOneLineRefusal(planTarget);
    expect(repo.read('plans/t.yaml')).toContain('replace');
    expectUntouched(repo, before);
  });

  it('a plan that is not UTF-8 is refused with where the bad byte is', async () => {
    const repo = makeRepo({ 'a.py': 'caf\u00e9 = 1\n' });
    writeFileSync(path.join(repo.dir, 'plans.yaml'), Buffer.from(plan("    transform:\n      - replace: 'caf\xe9'\n        with: 'cafe'\n"), 'latin1'));
    const before = stateOf(repo);
    for (const command of ['check', 'run']) {
      const result = await phasegate([command, 'plans.yaml', ...(command === 'run' ? ['--yes'] : [])], { cwd: repo.dir });
      expectOneLineRefusal(result);
      expect(result.stderr).toMatch(/plans\.yaml:6:22: .*not (valid )?UTF-8/);
    }
    expectUntouched(repo, before);
  });

  it.each([
    ['refs/heads/x', /without 'refs\/heads\/'/],
    ['@', /'@' means HEAD/],
    ['HEAD', /'HEAD' is git's name for the current commit/],
    ['x.lock/y', /\.lock/],
  ])('branch: %s is refused by git\'s own ref-name rules, before anything changes', async (branch, reason) => {
    const repo = makeRepo({ 'a.py': 'x = 1\n', 'plans/t.yaml': plan("    transform:\n      - replace: 'x'\n        with: 'y'\n", `branch: '${branch}'\n`) });
    const before = stateOf(repo);
    const result = await phasegate(['run', 't', '--yes'], { cwd: repo.dir });
    expectOneLineRefusal(result);
    expect(result.stderr).toMatch(reason);
    expectUntouched(repo, before);
    const flag = await phasegate(['run', 'plans/t.yaml', '--yes', '--branch', branch], { cwd: repo.dir });
    expect(flag.exitCode, flag.all).toBe(2);
    expect(flag.stderr).toMatch(reason);
    expectUntouched(repo, before);
  });

  it('names the real reason when the tag cannot be created after the checks passed', async () => {
    const repo = makeRepo({ 'a.py': 'x = 1\n', 'plans/t.yaml': plan("    transform:\n      - replace: 'x'\n        with: 'y'\n") });
    // A lock left on the tag's ref by a crashed git process: `git tag` cannot create it.
    mkdirSync(path.join(repo.dir, '.git/refs/tags/phasegate/t'), { recursive: true });
    writeFileSync(path.join(repo.dir, '.git/refs/tags/phasegate/t/one.lock'), '');
    const result = await phasegate(['run', 't', '--yes', '--report', '.git/r.json'], { cwd: repo.dir });
    expect(result.exitCode, result.all).not.toBe(0);
    const reason: string = JSON.parse(repo.read('.git/r.json')).phases[0].reason;
    expect(reason).not.toContain('before its checks');
    expect(reason).toMatch(/tag phasegate\/t\/one/);
  });

  it('a YAML alias bomb and 10,000-deep nesting are refused with exit 2 and one line', async () => {
    const repo = makeRepo({ 'a.py': 'x = 1\n' });
    const steps = "    transform:\n      - replace: 'x'\n        with: 'y'\n";
    const bomb = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let level = 1; level < 10; level++) bomb.push(`a${level}: &a${level} [${Array(9).fill(`*a${level - 1}`).join(', ')}]`);
    const plans = {
      'bomb.yaml': plan(steps, `${bomb.join('\n')}\n`),
      'flow.yaml': plan(steps, `x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`),
      'block.yaml': plan(steps, `x:\n${Array.from({ length: 10_000 }, (_, depth) => `${' '.repeat(depth + 1)}a:\n`).join('')}`),
      'seqs.yaml': plan(steps, `x:\n${'- '.repeat(10_000)}a\n`),
    };
    for (const [file, text] of Object.entries(plans)) writeFileSync(path.join(repo.dir, file), text);
    for (const file of Object.keys(plans)) {
      const result = await phasegate(['check', file], { cwd: repo.dir });
      expectOneLineRefusal(result);
      expect(result.stderr, file).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: `));
      expect(result.stderr.length, file).toBeLessThan(400);
    }
  });
});

