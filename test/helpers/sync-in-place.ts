import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { phasegate } from './cli.js';
import { fromTemplate, makeRepo, tempDir, type TestRepo } from './repo.js';
import { expectSentinels, IGNORE_BUILD, plantSentinels, SENTINELS } from './sentinels.js';
import { snapshot, type RepoSnapshot } from './snapshot.js';
import { BRANCH, FILES } from './sync-repo.js';

/**
 * An in-place sync (the replay in the user's working tree, HEAD detached at the new base) on a
 * repository with an untracked and an ignored sentinel file, the migration branch checked out and
 * main moved on (a new file with the deprecated import: outcome `more`).
 */
export interface InPlaceSetup { repo: TestRepo; planted: Record<string, Buffer>; before: RepoSnapshot; mainTip: string }

export async function migratedAndMoved(mainChange: (repo: TestRepo) => void = (repo) => repo.write('app/c.py', 'from old.mod import thing\n'), files: Record<string, string> = {}): Promise<InPlaceSetup> {
  // The migration run is the same for every test with the same files: made once per test file.
  const repo = await fromTemplate(`migrated ${JSON.stringify(files)}`, async () => {
    const built = makeRepo({ ...FILES, '.gitignore': IGNORE_BUILD, ...files });
    plantSentinels(built);
    const run = await phasegate(['run', 'mig', '--yes'], { cwd: built.dir });
    expect(run.exitCode, run.all).toBe(0);
    return built;
  });
  // The sentinels planted in the template, copied with it.
  const planted = { ...SENTINELS };
  repo.git('checkout', '-q', 'main');
  mainChange(repo);
  repo.git('add', '-A', 'app');
  repo.git('commit', '-q', '--allow-empty', '-m', 'main moves on');
  repo.git('checkout', '-q', BRANCH);
  return { repo, planted, before: withoutKept(snapshot(repo)), mainTip: repo.git('rev-parse', 'main').trim() };
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
  expect(withoutKept(snapshot(setup.repo)), when).toEqual(setup.before);
  expectSentinels(setup.repo, setup.planted, when);
  expectNoReplayLeft(setup.repo);
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
  expectSentinels(repo, setup.planted, 'after the sync');
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
