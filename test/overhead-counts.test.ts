import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';

/**
 * Issue 15: a checkpoint's files (and, when a person will read them, its line counts: `--summary`
 * here) are worked out by git while the checks run. What a check's command does meanwhile (stage
 * files, edit the tree) must not reach the figures, and every place that shows or records them
 * (report, tag record, a failed phase's report) must wait for them. An unattended run's tag
 * records the files only (see line-counts.test.ts).
 */
function plan(validate: string[]): string {
  return [
    'version: 1', 'name: p', 'phases:', '  - id: one',
    '    transform:', "      - replace: 'old_call'", "        with: 'new_call'",
    ...(validate.length ? ['    validate:', ...validate] : []), '',
  ].join('\n');
}

/** What git itself counts between the base tag and the phase's commit. */
function numstat(repo: TestRepo, commit: string): { files: number; insertions: number; deletions: number } {
  const lines = repo.git('diff', '--numstat', 'phasegate/p/base', commit).trim().split('\n').filter(Boolean);
  return {
    files: lines.length,
    insertions: lines.reduce((sum, line) => sum + Number(line.split('\t')[0]), 0),
    deletions: lines.reduce((sum, line) => sum + Number(line.split('\t')[1]), 0),
  };
}

function tagRecord(repo: TestRepo, tag: string): { filesChanged: number; insertions: number; deletions: number } {
  const message = repo.git('for-each-ref', '--format=%(contents)', `refs/tags/${tag}`);
  return JSON.parse(message.slice(message.indexOf('\n{') + 1));
}

const files = {
  'src/a.py': 'old_call()\nkeep()\n',
  'src/b.py': 'x = 1\nold_call()\nold_call()\n',
  'src/c.py': 'untouched()\n',
};

describe('checkpoint counts, worked out while the checks run', () => {
  it('report and tag record carry git\'s own counts of the commit, whatever a check stages meanwhile', async () => {
    const repo = makeRepo({
      ...files,
      // Stages an edit and a new file and keeps them staged a while (the count runs meanwhile); the
      // checks' leftovers are discarded afterwards.
      'plans/p.yaml': plan([
        "      - run: 'printf \"more\\n\" >> src/c.py && printf \"new\\n\" > src/d.py && git add -A && sleep 1'",
        "      - forbid: 'old_call'",
      ]),
    });
    const reportFile = path.join(tempDir(), 'report.json');
    const result = await phasegate(['run', 'p', '--yes', '--no-branch', '--report', reportFile, '--summary', path.join(tempDir(), 'summary.md')], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    const phase = JSON.parse(readFileSync(reportFile, 'utf8')).phases[0];
    const counted = numstat(repo, 'phasegate/p/one');
    expect(counted).toEqual({ files: 2, insertions: 3, deletions: 3 });
    expect({ files: phase.filesChanged, insertions: phase.insertions, deletions: phase.deletions }).toEqual(counted);
    expect(phase.changedFiles).toEqual(['src/a.py', 'src/b.py']);
    const record = tagRecord(repo, 'phasegate/p/one');
    // An unattended run's tag does not wait for the line counts: its record names the files only.
    expect({ files: record.filesChanged, insertions: record.insertions, deletions: record.deletions }).toEqual({ files: counted.files, insertions: undefined, deletions: undefined });
    // The check's leftovers were discarded: the tree is the checkpoint's.
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.exists('src/d.py')).toBe(false);
  });

  it('a phase whose checks fail still reports what its reverted commit changed', async () => {
    const repo = makeRepo({ ...files, 'plans/p.yaml': plan(["      - require: 'no_such_call'"]) });
    const start = repo.head();
    const reportFile = path.join(tempDir(), 'report.json');
    const result = await phasegate(['run', 'p', '--yes', '--no-branch', '--report', reportFile, '--summary', path.join(tempDir(), 'summary.md')], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(repo.head()).toBe(start);
    const phase = JSON.parse(readFileSync(reportFile, 'utf8')).phases[0];
    expect(phase.status).toBe('failed');
    expect({ files: phase.filesChanged, insertions: phase.insertions, deletions: phase.deletions }).toEqual(numstat(repo, phase.commit));
    expect(phase.filesChanged).toBe(2);
  });

  it('a phase without checks shows its files on the checkpoint line (an unattended run counts no lines)', async () => {
    const repo = makeRepo({ ...files, 'plans/p.yaml': plan([]) });
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir, env: { CI: '1' } });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain('commit checkpoint — 2 file(s)');
    expect(result.all).not.toContain('+3 −3');
  });
});
