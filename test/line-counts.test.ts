import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { recordGitCalls } from './helpers/git-calls.js';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';
import { Terminal } from './helpers/tmux.js';

/**
 * Issue 15: counting changed lines (`git diff --numstat`) was the slowest part of a checkpoint,
 * and the tag waited for it. SPEC asks a phase for the files it changed; line counts are for a
 * person, so they are counted only when something shows them to one: a guided run's review,
 * `--summary`, `--pr-body`. An unattended run without those never runs `git diff --numstat`, and
 * its report and tags say nothing about lines rather than a made-up +0 −0.
 */
const plan = [
  'version: 1', 'name: p', 'files: ["**/*.py"]', 'phases:',
  '  - id: move', '    title: Move and rename calls', '    transform:',
  '      - rename: src/old_name.py', '        to: src/new_name.py',
  "      - replace: 'old_call'", "        with: 'new_call'",
  '    validate:', "      - forbid: 'old_call'",
  '  - id: upper', '    title: Upper-case x', '    transform:',
  "      - replace: '^x = 1'", "        with: 'X = 1'",
  '    validate:', "      - require: '^X ='",
  '',
].join('\n');

const files = {
  'src/a.py': 'old_call()\nkeep()\n',
  'src/b.py': 'x = 1\nold_call()\nold_call()\n',
  // Renamed and not edited: a pure rename, no line changed.
  'src/old_name.py': 'def f():\n    return 1\n',
  'plans/p.yaml': plan,
};

/** What git itself counts between two revisions. */
function numstat(repo: TestRepo, from: string, to: string): { insertions: number; deletions: number } {
  const lines = repo.git('diff', '--numstat', '--find-renames', from, to).trim().split('\n').filter(Boolean);
  return {
    insertions: lines.reduce((sum, line) => sum + Number(line.split('\t')[0]), 0),
    deletions: lines.reduce((sum, line) => sum + Number(line.split('\t')[1]), 0),
  };
}

function tagRecord(repo: TestRepo, tag: string): Record<string, unknown> {
  const message = repo.git('for-each-ref', '--format=%(contents)', `refs/tags/${tag}`);
  return JSON.parse(message.slice(message.indexOf('\n{') + 1));
}

function outputs(): { report: string; summary: string; prBody: string } {
  const dir = tempDir();
  return { report: path.join(dir, 'report.json'), summary: path.join(dir, 'summary.md'), prBody: path.join(dir, 'pr.md') };
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('changed lines are counted only for a person', () => {
  it('an unattended run reports the files it changed (a rename as its new path) and never runs git diff --numstat', async () => {
    const repo = makeRepo(files);
    const git = recordGitCalls();
    const out = outputs();
    const result = await phasegate(['run', 'p', '--yes', '--no-branch', '--report', out.report], { cwd: repo.dir, env: git.env });
    expect(result.exitCode, result.all).toBe(0);
    // The wrapper saw the run's git calls (the checkpoints' commits among them), and not one counted lines.
    expect(git.calls().filter((call) => / commit-tree /.test(` ${call} `)).length).toBe(2);
    expect(git.calls().filter((call) => call.includes('--numstat'))).toEqual([]);

    const [move, upper] = readJson(out.report).phases;
    expect(move).toMatchObject({ status: 'passed', filesChanged: 3, changedFiles: ['src/a.py', 'src/b.py', 'src/new_name.py'] });
    expect(upper).toMatchObject({ status: 'passed', filesChanged: 1, changedFiles: ['src/b.py'] });
    // Not counted is not zero: the fields are left out.
    for (const phase of [move, upper]) {
      expect(phase).not.toHaveProperty('insertions');
      expect(phase).not.toHaveProperty('deletions');
    }
    const record = tagRecord(repo, 'phasegate/p/move');
    expect(record.filesChanged).toBe(3);
    expect(record).not.toHaveProperty('insertions');
    expect(record).not.toHaveProperty('deletions');
    // The checkpoint line names the files and no line counts (no "+undefined", no "+0 −0").
    expect(result.all).toContain('commit checkpoint — 3 file(s)');
    expect(result.all).not.toMatch(/commit checkpoint — \d+ file\(s\), \+/);
  });

  it('with --summary, the Markdown and the JSON report carry git\'s own line counts of each phase', async () => {
    const repo = makeRepo(files);
    const base = repo.head();
    const git = recordGitCalls();
    const out = outputs();
    const result = await phasegate(['run', 'p', '--yes', '--no-branch', '--report', out.report, '--summary', out.summary], { cwd: repo.dir, env: git.env });
    expect(result.exitCode, result.all).toBe(0);
    const moveCounts = numstat(repo, base, 'phasegate/p/move');
    const upperCounts = numstat(repo, 'phasegate/p/move', 'phasegate/p/upper');
    expect(moveCounts).toEqual({ insertions: 3, deletions: 3 });
    expect(upperCounts).toEqual({ insertions: 1, deletions: 1 });

    const summary = readFileSync(out.summary, 'utf8');
    expect(summary).toMatch(/\(`move`\) \| passed \| 100% \| 3 \| \+3\/−3 \|/);
    expect(summary).toMatch(/\(`upper`\) \| passed \| 100% \| 1 \| \+1\/−1 \|/);
    const [move, upper] = readJson(out.report).phases;
    expect(move).toMatchObject({ filesChanged: 3, ...moveCounts });
    expect(upper).toMatchObject({ filesChanged: 1, ...upperCounts });
    expect(git.calls().some((call) => call.includes('--numstat'))).toBe(true);
  });

  it('a count that fails does not fail the run: --pr-body shows the files and the run says why the lines are missing', async () => {
    const repo = makeRepo(files);
    const git = recordGitCalls({ failOn: '--numstat' });
    const out = outputs();
    const result = await phasegate(['run', 'p', '--yes', '--no-branch', '--report', out.report, '--pr-body', out.prBody], { cwd: repo.dir, env: git.env });
    expect(result.exitCode, result.all).toBe(0);
    // --pr-body alone asks for the counts.
    expect(git.calls().some((call) => call.includes('--numstat'))).toBe(true);
    expect(repo.tags()).toEqual(expect.arrayContaining(['phasegate/p/move', 'phasegate/p/upper']));
    const prBody = readFileSync(out.prBody, 'utf8');
    expect(prBody).toContain('- **Changed:** 3 file(s)\n');
    expect(prBody).not.toContain('+undefined');
    const report = readJson(out.report);
    expect(report.phases[0]).not.toHaveProperty('insertions');
    expect(report.warnings.join('\n')).toMatch(/could not count the changed lines of phase 'move'/);
    expect(result.all).not.toMatch(/unhandled|UnhandledPromiseRejection/i);
  });

  it('a phase tagged in an earlier run shows the counts its tag recorded (older tags have them), else only its files', async () => {
    const repo = makeRepo(files);
    const first = await phasegate(['run', 'p', '--yes', '--no-branch', '--to', 'move'], { cwd: repo.dir });
    expect(first.exitCode, first.all).toBe(0);
    const out = outputs();

    // A tag as earlier versions wrote it, with the counts in its record.
    const record = tagRecord(repo, 'phasegate/p/move');
    expect(record).not.toHaveProperty('insertions');
    const older = { ...record, insertions: 3, deletions: 3 };
    const messageFile = path.join(tempDir(), 'message');
    writeFileSync(messageFile, `${String(record.summary)}\n\n${JSON.stringify(older, null, 2)}\n`);
    const commit = repo.git('rev-parse', 'phasegate/p/move^{commit}').trim();
    repo.git('tag', '--annotate', '--force', '--cleanup=verbatim', '--file', messageFile, 'phasegate/p/move', commit);

    const status = await phasegate(['status', 'p'], { cwd: repo.dir });
    expect(status.exitCode, status.all).toBe(0);
    expect(status.all).toContain('move');

    const third = await phasegate(['run', 'p', '--yes', '--no-branch', '--summary', out.summary, '--report', out.report], { cwd: repo.dir });
    expect(third.exitCode, third.all).toBe(0);
    const summary = readFileSync(out.summary, 'utf8');
    expect(summary).toMatch(/\(`move`\) \| passed \(earlier run\) \| 100% \| 3 \| \+3\/−3 \|/);
    expect(summary).toMatch(/\(`upper`\) \| passed \| 100% \| 1 \| \+1\/−1 \|/);
    const [move, upper] = readJson(out.report).phases;
    expect(move).toMatchObject({ earlierRun: true, filesChanged: 3, insertions: 3, deletions: 3 });
    expect(upper).toMatchObject({ filesChanged: 1, insertions: 1, deletions: 1 });
  });

  it('an earlier phase whose tag recorded no counts shows its files and no made-up lines', async () => {
    const repo = makeRepo(files);
    const first = await phasegate(['run', 'p', '--yes', '--no-branch', '--to', 'move'], { cwd: repo.dir });
    expect(first.exitCode, first.all).toBe(0);
    const out = outputs();
    const second = await phasegate(['run', 'p', '--yes', '--no-branch', '--summary', out.summary, '--report', out.report], { cwd: repo.dir });
    expect(second.exitCode, second.all).toBe(0);
    const summary = readFileSync(out.summary, 'utf8');
    expect(summary).toMatch(/\(`move`\) \| passed \(earlier run\) \| 100% \| 3 \| — \|/);
    expect(summary).toMatch(/\(`upper`\) \| passed \| 100% \| 1 \| \+1\/−1 \|/);
    const [move] = readJson(out.report).phases;
    expect(move).toMatchObject({ earlierRun: true, filesChanged: 3 });
    expect(move).not.toHaveProperty('insertions');
  });

  it('a guided run still shows the counts at its review, and its tags record them', async () => {
    const repo = makeRepo(files);
    const term = new Terminal(['run', 'p', '--no-branch'], { cwd: repo.dir });
    await term.waitFor('❯ Start on');
    term.keys('Enter');
    expect(await term.waitFor(/Phase 'move' changed[\s\S]*❯ Go on to the checks/)).toContain("Phase 'move' changed 3 files, +3 −3");
    term.keys('Enter');
    await term.waitFor('❯ Go on with the next phase');
    term.keys('Enter');
    expect(await term.waitFor(/Phase 'upper' changed[\s\S]*❯ Go on to the checks/)).toContain("Phase 'upper' changed 1 file, +1 −1");
    term.keys('Enter');
    expect(await term.exitCode()).toBe(0);
    expect(tagRecord(repo, 'phasegate/p/move')).toMatchObject({ filesChanged: 3, insertions: 3, deletions: 3 });
  });
});
