import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { phasegate } from './cli.js';
import { fromTemplate, makeRepo, tempDir, type TestRepo } from './repo.js';
import { expectGitSentinels, expectSentinels, IGNORE_BUILD, plantGitSentinels, plantSentinels, readGitSentinels, SENTINELS, type GitSentinels } from './sentinels.js';
import { snapshot, type RepoSnapshot } from './snapshot.js';
import { BRANCH, FILES } from './sync-repo.js';

/**
 * A sync (in place, or in a scratch clone: see mainChangesIgnoreRules) on a repository with an
 * untracked and an ignored sentinel file, a stash and another branch, the migration branch checked
 * out and main moved on (by default a new file with the deprecated import: outcome `more`).
 */
export interface InPlaceSetup { repo: TestRepo; planted: Record<string, Buffer>; kept: GitSentinels; before: RepoSnapshot; mainTip: string }

export async function migratedAndMoved(mainChange: (repo: TestRepo) => void = (repo) => repo.write('app/c.py', 'from old.mod import thing\n'), files: Record<string, string> = {}): Promise<InPlaceSetup> {
  // The migration run is the same for every test with the same files: made once per test file.
  const repo = await fromTemplate(`migrated ${JSON.stringify(files)}`, async () => {
    const built = makeRepo({ ...FILES, '.gitignore': IGNORE_BUILD, ...files });
    plantSentinels(built);
    const run = await phasegate(['run', 'mig', '--yes'], { cwd: built.dir });
    expect(run.exitCode, run.all).toBe(0);
    plantGitSentinels(built, 'app/a.py');
    return built;
  });
  // The sentinels planted in the template, copied with it.
  const planted = { ...SENTINELS };
  const kept = readGitSentinels(repo);
  repo.git('checkout', '-q', 'main');
  mainChange(repo);
  repo.git('add', '-A', 'app');
  repo.git('commit', '-q', '--allow-empty', '-m', 'main moves on');
  repo.git('checkout', '-q', BRANCH);
  return { repo, planted, kept, before: withoutKept(snapshot(repo)), mainTip: repo.git('rev-parse', 'main').trim() };
}

/**
 * A TMPDIR that does not exist: a scratch clone cannot be made there (sync refuses, exit 2), so a
 * sync that succeeds with it did not make one.
 */
export function noTempFolder(): Record<string, string> {
  return { TMPDIR: path.join(tempDir(), 'missing') };
}

/** What a sync may add next to the user's refs: its kept attempt and kept files, under refs/phasegate/mig/. */
const KEPT = /^[0-9a-f]+ refs\/phasegate\/mig\/(sync-attempt|discarded)\//;
export const withoutKept = (shot: RepoSnapshot): RepoSnapshot => ({ ...shot, refs: shot.refs.split('\n').filter((line) => !KEPT.test(line)).join('\n') });

/** Nothing of the replay's is left: no refs under sync-replay/, no replay journal. */
export function expectNoReplayLeft(repo: TestRepo): void {
  expect(repo.refs().filter((ref) => ref.includes('/sync-replay/'))).toEqual([]);
  expect(existsSync(path.join(repo.dir, '.git', 'phasegate', 'sync-replay'))).toBe(false);
  expect(existsSync(path.join(repo.dir, '.git', 'phasegate', 'journal.json'))).toBe(false);
}

/** As before the sync, byte for byte (refs, HEAD, index, every file), apart from what it kept under refs/phasegate/mig/. */
export function expectAsBefore(setup: InPlaceSetup, when: string): void {
  expectUntouched(setup, when);
  expectNoReplayLeft(setup.repo);
}

/**
 * As before a sync that stopped (a phase failed, a carried commit conflicted), and the branch tip and
 * tags as they were kept under one refs/phasegate/mig/synced/<time>/ as well (SPEC).
 */
export function expectStoppedAsBefore(setup: InPlaceSetup, when: string): void {
  const synced = setup.repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/synced/'));
  const kept = Object.fromEntries(synced.map((ref) => [ref.split('/').pop(), setup.repo.git('rev-parse', ref).trim()]));
  const was = Object.fromEntries(setup.before.refs.split('\n').filter(Boolean).map((line) => line.split(' ').reverse() as [string, string]));
  expect(kept, when).toEqual({
    'branch.tip': was[`refs/heads/${BRANCH}`], base: was['refs/tags/phasegate/mig/base'],
    imports: was['refs/tags/phasegate/mig/imports'], calls: was['refs/tags/phasegate/mig/calls'],
  });
  const withoutSynced = (shot: RepoSnapshot) => ({ ...shot, refs: shot.refs.split('\n').filter((line) => !line.includes(' refs/phasegate/mig/synced/')).join('\n') });
  expect(withoutSynced(withoutKept(snapshot(setup.repo))), when).toEqual(setup.before);
  expectSentinels(setup.repo, setup.planted, when);
  expectGitSentinels(setup.repo, setup.kept, when);
  expectNoReplayLeft(setup.repo);
}

/** Every ref, HEAD, the index and every byte as before the sync (its kept refs apart), the sentinels too. */
export function expectUntouched(setup: InPlaceSetup, when: string): void {
  expect(withoutKept(snapshot(setup.repo)), when).toEqual(setup.before);
  expectSentinels(setup.repo, setup.planted, when);
  expectGitSentinels(setup.repo, setup.kept, when);
}

const planTags = (repo: TestRepo) => Object.fromEntries(['base', 'imports', 'calls'].map((name) => [name, repo.git('rev-parse', `phasegate/mig/${name}^{commit}`).trim()]));

/** Fully synced: base on main's tip, each phase tag on the branch's first-parent line, the tree migrated and clean, HEAD on the branch. */
export function expectSynced(setup: InPlaceSetup): void {
  const { repo } = setup;
  const tags = planTags(repo);
  expect(tags.base).toBe(setup.mainTip);
  expect(tags.calls).toBe(repo.git('rev-parse', BRANCH).trim());
  expect(repo.git('rev-parse', `${tags.calls}^`).trim()).toBe(tags.imports);
  expect(repo.git('rev-parse', `${tags.imports}^`).trim()).toBe(tags.base);
  expect(repo.git('symbolic-ref', '--short', 'HEAD').trim()).toBe(BRANCH);
  expect(repo.read('app/c.py')).toBe('from new.mod import thing\n');
  expect(repo.git('status', '--porcelain', '--untracked-files=all').trim()).toBe('?? notes/todo.txt');
  // Each tag object is named as the tag it is (not after the replay's ref it waited on).
  for (const name of ['base', 'imports', 'calls']) expect(repo.git('cat-file', '-p', `refs/tags/phasegate/mig/${name}`)).toContain(`\ntag phasegate/mig/${name}\n`);
  expect(repo.refs().filter((ref) => ref.includes('/sync-work/'))).toEqual([]);
  expectSentinels(repo, setup.planted, 'after the sync');
  expectGitSentinels(repo, setup.kept, 'after the sync');
  expectNoReplayLeft(repo);
}

/**
 * For tests of the scratch clone itself: an ignore rule main changes makes sync replay in a scratch
 * clone even with the migration branch checked out (an ignored file of the user's could turn
 * untracked in the working tree, see engine/sync/in-place.ts). Call while main is checked out.
 */
export function mainChangesIgnoreRules(repo: TestRepo): void {
  const file = path.join(repo.dir, '.gitignore');
  repo.write('.gitignore', `${existsSync(file) ? repo.read('.gitignore') : ''}*.scratch-only\n`);
  repo.git('add', '.gitignore');
}

/**
 * After a `kill -9` of a sync: `status` notices and touches nothing; then the next command (which
 * takes over the dead process's lock) finishes or undoes it — `run` (nothing left to run) shows
 * the state it restored, `sync` goes on to complete the sync, `rollback` undoes it first.
 */
export async function recoverKilledSync(setup: InPlaceSetup, via: 'run' | 'sync' | 'rollback', expected: 'as before' | 'synced'): Promise<void> {
  const { repo } = setup;
  const crashed = snapshot(repo);
  const status = await phasegate(['status', 'mig'], { cwd: repo.dir });
  expect(status.exitCode, status.all).toBe(0);
  expect(status.stdout).toMatch(/INTERRUPTED: a sync of plan 'mig' \(branch phasegate\/mig\) was interrupted/);
  expect(snapshot(repo)).toEqual(crashed);

  const args = { run: ['run', 'mig', '--yes'], sync: ['sync', 'mig', '--yes'], rollback: ['rollback', 'calls', '--yes'] }[via];
  const next = await phasegate(args, { cwd: repo.dir });
  expect(next.exitCode, next.all).toBe(0);
  expect(next.stderr).toMatch(/took over a lock left by pid \d+/);
  expect(next.stderr).toContain("a sync of plan 'mig'");
  expect(existsSync(path.join(repo.dir, '.git', 'phasegate', 'journal.json'))).toBe(false);
  if (expected === 'as before') expectAsBefore(setup, `after the recovery by ${via}`);
  else expectSynced(setup);
}
