import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate, type CliResult } from './helpers/cli.js';
import type { TestRepo } from './helpers/repo.js';
import { migratedShop, shopRepo } from './helpers/shop.js';
import { migratedAndMoved } from './helpers/sync-in-place.js';
import { snapshot } from './helpers/snapshot.js';

/**
 * A rebase, merge, cherry-pick or bisect that stopped half-way, waiting for the user, with a clean
 * tree. A phase committed there would become part of the user's rebase (or lose the merge's second
 * parent), and a new branch would take HEAD away from the operation: phasegate refuses to start
 * instead (exit 2, one line, nothing changed) and says how to finish or leave the operation.
 */
type Operation = { name: string; stateFile: string; mention: RegExp; start: (repo: TestRepo) => void };

/** Two more commits on the current branch, for a rebase, a cherry-pick and a bisect to stop in. */
function twoCommits(repo: TestRepo): void {
  repo.write('notes/one.txt', 'one\n');
  repo.git('add', 'notes/one.txt');
  repo.git('commit', '-q', '-m', 'one');
  repo.write('notes/two.txt', 'two\n');
  repo.git('add', 'notes/two.txt');
  repo.git('commit', '-q', '-m', 'two');
}

/** A branch `side` with a commit of its own, for a merge to take; HEAD stays where it was. */
function sideBranch(repo: TestRepo): void {
  repo.git('checkout', '-q', '-b', 'side');
  repo.write('notes/side.txt', 'side\n');
  repo.git('add', 'notes/side.txt');
  repo.git('commit', '-q', '-m', 'side');
  repo.git('checkout', '-q', '-');
}

const OPERATIONS: Operation[] = [
  {
    name: 'an interactive rebase stopped at an edit', stateFile: 'rebase-merge', mention: /a rebase is in progress.*git rebase --continue.*git rebase --abort/,
    start: (repo) => {
      twoCommits(repo);
      repo.git('-c', "sequence.editor=sed -i '1s/^pick/edit/'", 'rebase', '-q', '-i', 'HEAD~2');
    },
  },
  {
    name: 'a merge that was not committed', stateFile: 'MERGE_HEAD', mention: /a merge is in progress.*git commit.*git merge --abort/,
    start: (repo) => {
      sideBranch(repo);
      twoCommits(repo);
      repo.git('merge', '-q', '--no-commit', '-s', 'ours', 'side');
    },
  },
  {
    name: 'a cherry-pick that stopped (its change is there already)', stateFile: 'CHERRY_PICK_HEAD', mention: /a cherry-pick is in progress.*git cherry-pick --continue.*git cherry-pick --abort/,
    start: (repo) => {
      twoCommits(repo);
      const again = repo.git('rev-parse', 'HEAD').trim();
      repo.git('commit', '-q', '--allow-empty', '-m', 'three');
      // Exit 1: "The previous cherry-pick is now empty"; CHERRY_PICK_HEAD stays, the tree is clean.
      try { repo.git('cherry-pick', again); } catch { /* expected */ }
    },
  },
  {
    name: 'a bisect', stateFile: 'BISECT_LOG', mention: /a bisect is in progress.*git bisect reset/,
    start: (repo) => {
      twoCommits(repo);
      repo.git('bisect', 'start', 'HEAD', 'HEAD~2');
    },
  },
];

function expectRefused(result: CliResult, mention: RegExp): void {
  expect(result.exitCode, result.all).toBe(2);
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(mention);
  expect(lines[0]).toMatch(/nothing was changed/);
}

function gitFile(repo: TestRepo, name: string): string {
  return path.join(repo.dir, '.git', name);
}

describe('a git operation stopped half-way', () => {
  for (const operation of OPERATIONS) {
    it(`run refuses during ${operation.name}, with and without a branch of its own`, async () => {
      const repo = shopRepo();
      operation.start(repo);
      expect(existsSync(gitFile(repo, operation.stateFile)), `${operation.stateFile} after setting up`).toBe(true);
      expect(repo.git('status', '--porcelain', '--untracked-files=no')).toBe('');
      const before = snapshot(repo);
      for (const args of [['run', 'shop', '--yes'], ['run', 'shop', '--yes', '--no-branch']]) {
        expectRefused(await phasegate(args, { cwd: repo.dir }), operation.mention);
        expect(snapshot(repo), args.join(' ')).toEqual(before);
        expect(existsSync(gitFile(repo, operation.stateFile)), args.join(' ')).toBe(true);
      }
    });
  }

  it('once the operation is finished, the run goes ahead', async () => {
    const repo = shopRepo();
    OPERATIONS[0].start(repo);
    expectRefused(await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir }), OPERATIONS[0].mention);
    repo.git('rebase', '--abort');
    const run = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
  });

  it('rollback refuses during a merge on the migration branch, and leaves branch, tags and merge as they were', async () => {
    const repo = await migratedShop();
    sideBranch(repo);
    repo.git('merge', '-q', '--no-commit', '-s', 'ours', 'side');
    const before = snapshot(repo);
    expectRefused(await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir }), OPERATIONS[1].mention);
    expect(snapshot(repo)).toEqual(before);
    expect(existsSync(gitFile(repo, 'MERGE_HEAD'))).toBe(true);
  });

  it('sync refuses during a bisect, and leaves branch, tags and bisect as they were', async () => {
    const { repo } = await migratedAndMoved();
    repo.git('bisect', 'start', 'HEAD', 'HEAD~1');
    const before = snapshot(repo);
    expectRefused(await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir }), OPERATIONS[3].mention);
    expect(snapshot(repo)).toEqual(before);
    expect(existsSync(gitFile(repo, 'BISECT_LOG'))).toBe(true);
  });
});
