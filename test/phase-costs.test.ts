import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';

/**
 * Issue 15, figure 5: what a phase pays for besides its steps. A phase without transform steps
 * (only checks) reads the same files before and after its (empty) transform, so its "before"
 * figures and its checks may share one scan — as long as every figure stays what it was: a `run`
 * check that changes files, or a hook that changes the tree before the phase, still shows.
 * The expectations below were taken from the code before the change.
 */
const files = {
  'src/a.py': 'old_call()\nkeep()\n',
  'src/b.py': 'x = 1\nold_call()\nold_call()\n',
  'src/c.py': 'untouched()\n',
};

function yaml(lines: string[]): string {
  return [...lines, ''].join('\n');
}

async function run(repo: TestRepo, plan: string, env?: Record<string, string>) {
  const reportFile = path.join(tempDir(), 'report.json');
  const result = await phasegate(['run', plan, '--yes', '--no-branch', '--report', reportFile], { cwd: repo.dir, env });
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  return { result, report };
}

/** name → [before, after, passed] of each check of a phase (`run` checks have no figures). */
function figures(phase: { checks: { name: string; passed: boolean; details: { before?: number; after?: number } }[] }) {
  return Object.fromEntries(phase.checks.map((check) => [check.name, [check.details.before ?? null, check.details.after ?? null, check.passed]]));
}

describe('a phase with checks only', () => {
  it('reports the same before/after figures, notes and checkpoint as a scan of its own', async () => {
    const repo = makeRepo({
      ...files,
      'src/latin.py': '',
      'plans/p.yaml': yaml([
        'version: 1', 'name: p', 'phases:',
        '  - id: one', '    transform:', "      - replace: 'old_call'", "        with: 'new_call'",
        '  - id: verify', '    title: Verify it',
        '    validate:',
        "      - forbid: 'old_call'",
        "      - require: 'new_call'",
        "      - count: 'keep'", '        min: 1',
        "      - count: 'caf'", '        min: 1',
        "      - count: { pattern: 'new_call()', language: python }", '        min: 1',
      ]),
    });
    // A file that is not UTF-8 and a binary one: the checks say how they read them.
    writeFileSync(path.join(repo.dir, 'src/latin.py'), Buffer.from('caf\xe9 = 1\n', 'latin1'));
    writeFileSync(path.join(repo.dir, 'src/data.py'), Buffer.from([0, 1, 2, 0x63, 0x61, 0x66, 0]));
    repo.commitAll('files');
    const { result, report } = await run(repo, 'p');
    expect(result.exitCode, result.all).toBe(0);
    const verify = report.phases[1];
    expect(figures(verify)).toEqual({
      'forbid /old_call/': [0, 0, true],
      'require /new_call/': [3, 3, true],
      'count /keep/ ≥ 1': [1, 1, true],
      'count /caf/ ≥ 1': [1, 1, true],
      'count new_call() (python) ≥ 1': [3, 3, true],
    });
    const caf = verify.checks.find((check: { name: string }) => check.name === 'count /caf/ ≥ 1');
    expect(caf.summary).toBe('1 matching line · 1 file read as Latin-1 (not UTF-8) · skipped 1 binary file');
    expect(caf.details.notes).toEqual(['1 file read as Latin-1 (not UTF-8): src/latin.py', 'skipped 1 binary file: src/data.py']);
    expect(caf.details.matches).toEqual([{ file: 'src/latin.py', line: 1, text: 'café = 1' }]);
    // The checkpoint: an empty commit on the first phase's, with the usual message, tagged.
    expect(verify.filesChanged).toBe(0);
    // Unattended: lines are not counted (line-counts.test.ts), so the report has no such fields.
    expect([verify.insertions, verify.deletions, verify.changedFiles]).toEqual([undefined, undefined, []]);
    const one = repo.git('rev-parse', 'phasegate/p/one^{commit}').trim();
    expect(repo.git('rev-parse', 'HEAD').trim()).toBe(verify.commit);
    expect(repo.git('rev-parse', 'phasegate/p/verify^{commit}').trim()).toBe(verify.commit);
    expect(repo.git('show', '-s', '--format=%P%n%T%n%an <%ae>%n%cn <%ce>', verify.commit).trim().split('\n'))
      .toEqual([one, repo.git('rev-parse', `${one}^{tree}`).trim(), 'Test User <test@example.com>', 'Test User <test@example.com>']);
    expect(repo.git('cat-file', '-p', verify.commit).split('\n\n').slice(1).join('\n\n')).toBe('p: Verify it\n\nPhasegate-Phase: verify\n');
    // The branch's reflog says a commit was made, as `git commit` says it.
    expect(repo.git('reflog', '-1', '--format=%gs', 'refs/heads/main').trim()).toBe('commit: p: Verify it');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('a failing check lists its matches as there before, not as brought by the phase', async () => {
    const repo = makeRepo({
      ...files,
      'plans/p.yaml': yaml(['version: 1', 'name: p', 'phases:', '  - id: verify', '    validate:', "      - forbid: 'old_call'"]),
    });
    const start = repo.head();
    const { result, report } = await run(repo, 'p');
    expect(result.exitCode, result.all).toBe(1);
    const check = report.phases[0].checks[0];
    expect([check.details.before, check.details.after, check.passed]).toEqual([3, 3, false]);
    expect(check.details.matches.map((match: { file: string; line: number; added?: boolean }) => [match.file, match.line, match.added ?? false]))
      .toEqual([['src/a.py', 1, false], ['src/b.py', 2, false], ['src/b.py', 3, false]]);
    expect(repo.head()).toBe(start);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('a match check after a `run` check that changes a file sees the change; one before it does not', async () => {
    const repo = makeRepo({
      ...files,
      'plans/p.yaml': yaml([
        'version: 1', 'name: p', 'phases:',
        '  - id: middle', '    validate:',
        "      - count: 'marker'", '        min: 0', '        name: before the command',
        "      - run: 'printf \"marker\\n\" >> src/c.py'",
        "      - count: 'marker'", '        min: 0', '        name: after the command',
        "      - require: 'keep'",
        '  - id: first', '    validate:',
        "      - run: 'printf \"marker\\n\" >> src/c.py && printf \"marker\\n\" > src/new.py'", '        name: the command',
        "      - count: 'marker'", '        min: 0', '        name: after the command',
      ]),
    });
    const { result, report } = await run(repo, 'p');
    expect(result.exitCode, result.all).toBe(0);
    expect(figures(report.phases[0])).toEqual({
      'before the command': [0, 0, true],
      'run printf "marker\\n" >> src/c.py': [null, null, true],
      'after the command': [0, 1, true],
      'require /keep/': [1, 1, true],
    });
    // The files listed for the checks were listed before the command ran: its new file is not read.
    expect(figures(report.phases[1])).toEqual({
      'the command': [null, null, true],
      'after the command': [0, 1, true],
    });
    // What the commands left was discarded, and kept where git can give it back.
    expect(repo.read('src/c.py')).toBe('untouched()\n');
    expect(repo.exists('src/new.py')).toBe(false);
    expect(report.warnings.filter((text: string) => text.includes('discarded')).length).toBe(2);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('what a before-phase hook changed is in the checkpoint and in the figures after it', async () => {
    const repo = makeRepo({
      ...files,
      'plans/p.yaml': yaml([
        'version: 1', 'name: p',
        'hooks:', "  before-phase: 'printf \"marker\\n\" >> src/a.py && printf \"marker\\n\" > src/new.py'",
        'phases:', '  - id: verify', '    validate:', "      - count: 'marker'", '        min: 0',
      ]),
    });
    const start = repo.head();
    const { result, report } = await run(repo, 'p');
    expect(result.exitCode, result.all).toBe(0);
    const phase = report.phases[0];
    // Before: the tracked file as the hook left it; the new file is not tracked yet. After: both.
    expect(figures(phase)).toEqual({ 'count /marker/ ≥ 0': [1, 2, true] });
    expect(phase.changedFiles).toEqual(['src/a.py', 'src/new.py']);
    expect(repo.git('rev-parse', 'HEAD^').trim()).toBe(start);
    expect(repo.git('show', 'HEAD:src/new.py')).toBe('marker\n');
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});

/** A `git` first on PATH that logs each command's argv and runs the real git. */
function loggingGit(): { env: Record<string, string>; commands: () => string[][] } {
  const dir = tempDir('phasegate-git-log-');
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const log = path.join(dir, 'git.log');
  const real = execFileReal();
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nprintf '%s\\0' "$@" >> '${log}'\nprintf '\\n' >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(path.join(bin, 'git'), 0o755);
  return {
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    commands: () => {
      let text = '';
      try { text = readFileSync(log, 'utf8'); } catch { /* nothing ran */ }
      return text.split('\n').filter(Boolean).map((line) => line.split('\0').filter(Boolean));
    },
  };
}

function execFileReal(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'git');
    try {
      readFileSync(candidate);
      return candidate;
    } catch { /* next */ }
  }
  throw new Error('git not found on PATH');
}

describe('the checkpoint of a phase with checks only', () => {
  it('is made without rewriting the index when the tree did not change, and with it when a hook changed it', async () => {
    const plan = (hook: boolean) => yaml([
      'version: 1', 'name: p',
      ...(hook ? ['hooks:', "  before-phase: 'printf \"marker\\n\" >> src/a.py'"] : []),
      'phases:', '  - id: verify', '    validate:', "      - require: 'keep'",
    ]);
    const quiet = makeRepo({ ...files, 'plans/p.yaml': plan(false) });
    const git = loggingGit();
    const unchanged = await run(quiet, 'p', git.env);
    expect(unchanged.result.exitCode, unchanged.result.all).toBe(0);
    // The index is written by staging (add, then write-tree for the tree it makes) and, for a
    // checkpoint of a changed tree, by its commit: `git commit`, or write-tree again (checkpoint.ts commitIndex).
    const commits = (commands: string[][]) => commands.filter((argv) => argv.includes('commit') && !argv.includes('commit-tree'));
    const writeTrees = (commands: string[][]) => commands.filter((argv) => argv.includes('write-tree'));
    expect(commits(git.commands())).toEqual([]);
    expect(writeTrees(git.commands()).length).toBe(1);
    expect(quiet.git('rev-parse', 'HEAD^').trim()).toBe(quiet.git('rev-parse', 'phasegate/p/base^{commit}').trim());
    expect(quiet.git('rev-parse', 'HEAD^{tree}').trim()).toBe(quiet.git('rev-parse', 'HEAD^^{tree}').trim());

    const hooked = makeRepo({ ...files, 'plans/p.yaml': plan(true) });
    const again = loggingGit();
    const changed = await run(hooked, 'p', again.env);
    expect(changed.result.exitCode, changed.result.all).toBe(0);
    expect(commits(again.commands()).length + writeTrees(again.commands()).length).toBe(2);
    expect(hooked.git('show', 'HEAD:src/a.py')).toBe('old_call()\nkeep()\nmarker\n');
    expect(changed.report.phases[0].changedFiles).toEqual(['src/a.py']);
  });
});

describe('a phase with checks only, killed', () => {
  it.each(['before-commit', 'during-check', 'before-tag'])('at %s: the next run restores its start, loses nothing, and passes', async (point) => {
    const repo = makeRepo({
      ...files, '.gitignore': 'ignored.txt\n',
      'plans/p.yaml': yaml(['version: 1', 'name: p', 'phases:', '  - id: verify', '    validate:', "      - require: 'keep'", "      - forbid: 'nothing_here'"]),
    });
    repo.write('notes.txt', 'untracked, mine\n');
    repo.write('ignored.txt', 'ignored, mine\n');
    const start = repo.head();
    const crashed = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir, env: { PHASEGATE_FAILPOINT: point } });
    expect(crashed.exitCode, crashed.all).not.toBe(0);
    const { result, report } = await run(repo, 'p');
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain("phase 'verify' of plan 'p' was interrupted");
    expect(repo.git('rev-parse', 'HEAD^').trim()).toBe(start);
    expect(repo.git('rev-parse', 'HEAD^{tree}').trim()).toBe(repo.git('rev-parse', `${start}^{tree}`).trim());
    expect(figures(report.phases[0])).toEqual({ 'require /keep/': [1, 1, true], 'forbid /nothing_here/': [0, 0, true] });
    expect(repo.read('notes.txt')).toBe('untracked, mine\n');
    expect(repo.read('ignored.txt')).toBe('ignored, mine\n');
    expect(repo.git('status', '--porcelain')).toBe('?? notes.txt\n');
  });
});
