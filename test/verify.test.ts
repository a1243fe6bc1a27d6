import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';
import { snapshot } from './helpers/snapshot.js';

/**
 * `phasegate verify` guards `main` after the migration merged: the checks of the completed phases,
 * run against a revision, change nothing in the repository and point at file:line when the old
 * pattern comes back.
 */
const plan = `version: 1
name: shop
files: ["**/*.py"]
phases:
  - id: imports
    transform:
      - replace: 'from legacy\\.notify import (\\w+)'
        with: 'from core.notify import $1'
    validate:
      - forbid: 'from legacy\\.notify'
  - id: guard
    validate:
      # A command that writes into the tree: verify must keep that away from the user's repository.
      - run: echo touched > leftover.txt && ! grep -rq "legacy.notify" --include=*.py app
`;

/** A migration run on its branch, then squash-merged into main: the tags are not ancestors of main. */
async function mergedMigration(): Promise<TestRepo> {
  const repo = makeRepo({
    'app/orders.py': 'from legacy.notify import Notifier\n\ndef place(order):\n    Notifier().send("placed")\n',
    'app/util.py': 'def helper():\n    return 42\n',
    'legacy/notify.py': 'class Notifier:\n    pass\n',
    '.gitignore': '*.log\n',
    'plans/shop.yaml': plan,
  });
  const run = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
  expect(run.exitCode, run.all).toBe(0);
  repo.git('checkout', '-q', 'main');
  repo.git('merge', '-q', '--squash', 'phasegate/shop');
  repo.git('commit', '-q', '-m', 'migration (squashed)');
  // Things verify must not touch: an ignored file and an untracked one.
  repo.write('debug.log', 'ignored\n');
  repo.write('notes.txt', 'untracked\n');
  return repo;
}

function backslide(repo: TestRepo): void {
  repo.write('app/new_feature.py', 'import os\nfrom legacy.notify import Notifier\n');
  repo.commitAll('new feature brings the old import back');
}

describe('phasegate verify', () => {
  it('exits 0 on main after the merge and 1 with file:line after a backsliding commit, changing nothing', async () => {
    const repo = await mergedMigration();
    // The phase tags stay on the migration branch: not ancestors of main.
    expect(() => repo.git('merge-base', '--is-ancestor', 'phasegate/shop/imports', 'HEAD')).toThrow();
    const clean = snapshot(repo);
    const before = await phasegate(['verify', 'shop'], { cwd: repo.dir });
    expect(before.exitCode, before.all).toBe(0);
    expect(before.stdout).toMatch(/✔ imports/);
    expect(before.stdout).toMatch(/✔ guard/);
    expect(snapshot(repo)).toEqual(clean);

    backslide(repo);
    const slid = snapshot(repo);
    const after = await phasegate(['verify', 'shop'], { cwd: repo.dir });
    expect(after.exitCode, after.all).toBe(1);
    expect(after.stdout).toContain('app/new_feature.py:2: from legacy.notify import Notifier');
    expect(after.stdout).toMatch(/✖ imports/);
    expect(after.stdout).toMatch(/✖ guard/);
    expect(snapshot(repo)).toEqual(slid);

    // Only the pattern phase: read in place, no scratch clone.
    const inPlace = await phasegate(['verify', 'shop', '--phases', 'imports', '--format', 'json'], { cwd: repo.dir });
    expect(inPlace.exitCode, inPlace.all).toBe(1);
    const result = JSON.parse(inPlace.stdout);
    expect(result.where).toBe('working tree');
    expect(result.phases.map((phase: { id: string }) => phase.id)).toEqual(['imports']);
    expect(result.phases[0].checks[0].details.matches).toEqual([{ file: 'app/new_feature.py', line: 2, text: 'from legacy.notify import Notifier' }]);
    expect(snapshot(repo)).toEqual(slid);
  });

  it('--format github prints error annotations at file and line and appends the step summary', async () => {
    const repo = await mergedMigration();
    backslide(repo);
    const summaryFile = path.join(tempDir(), 'summary.md');
    const result = await phasegate(['verify', 'shop', '--format', 'github'], { cwd: repo.dir, env: { GITHUB_STEP_SUMMARY: summaryFile } });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toMatch(/^::error file=app\/new_feature\.py,line=2,title=shop\/imports%3A forbid .*::.*from legacy\.notify import Notifier$/m);
    expect(result.stdout).toMatch(/^::error title=shop\/guard%3A run .*::exited with status 1/m);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toContain('phasegate verify shop: ❌ failed');
    expect(summary).toContain('`app/new_feature.py:2`');
  });

  it('--ref checks another revision in a scratch clone; bad input exits 2', async () => {
    const repo = await mergedMigration();
    const good = repo.head();
    backslide(repo);
    const slid = snapshot(repo);
    const older = await phasegate(['verify', 'shop', '--ref', good, '--phases', 'imports', '--format', 'json'], { cwd: repo.dir });
    expect(older.exitCode, older.all).toBe(0);
    expect(JSON.parse(older.stdout)).toMatchObject({ commit: good, where: 'scratch clone', passed: true });
    const tip = await phasegate(['verify', 'shop', '--ref', 'main'], { cwd: repo.dir });
    expect(tip.exitCode, tip.all).toBe(1);
    expect(tip.stdout).toContain('app/new_feature.py:2');
    expect(snapshot(repo)).toEqual(slid);

    const badRef = await phasegate(['verify', 'shop', '--ref', 'no-such-branch'], { cwd: repo.dir });
    expect(badRef.exitCode).toBe(2);
    expect(badRef.stderr).toContain('--ref no-such-branch: no such commit');
    const badPhase = await phasegate(['verify', 'shop', '--phases', 'imports,nope'], { cwd: repo.dir });
    expect(badPhase.exitCode).toBe(2);
    expect(badPhase.stderr).toContain("has no phase 'nope'");
    repo.git('tag', '-d', 'phasegate/shop/imports', 'phasegate/shop/guard');
    const untagged = await phasegate(['verify', 'shop'], { cwd: repo.dir });
    expect(untagged.exitCode).toBe(2);
    expect(untagged.stderr).toContain('no completed phases');
    const named = await phasegate(['verify', 'shop', '--phases', 'imports'], { cwd: repo.dir });
    expect(named.exitCode, named.all).toBe(1);
    expect(snapshot(repo)).toEqual({ ...slid, refs: snapshot(repo).refs });
  });
});
