import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { fromTemplate, makeRepo, type TestRepo } from './helpers/repo.js';
import { expectSentinels, IGNORE_BUILD, plantSentinels, SENTINELS } from './helpers/sentinels.js';
import { snapshot, type RepoSnapshot } from './helpers/snapshot.js';
import { BRANCH, FILES } from './helpers/sync-repo.js';
import { mainChangesIgnoreRules } from './helpers/sync-in-place.js';

/**
 * `kill -9` of a real `phasegate sync` at each point of its work (PHASEGATE_FAILPOINT makes it
 * SIGKILL itself there). Afterwards `status` says so and changes nothing; the next command leaves
 * the branch and tags either exactly as before the sync or fully synced — never some tags moved and
 * others not — with every file (tracked, untracked, ignored) byte for byte as it should be, and no
 * lock that blocks; `sync` again then completes.
 */
interface Setup { repo: TestRepo; planted: Record<string, Buffer>; before: RepoSnapshot; mainTip: string }

async function migratedWithSentinels(): Promise<Setup> {
  // The migration run is the same in every test here: made once, copied for each.
  const repo = await fromTemplate('migrated', async () => {
    const built = makeRepo({ ...FILES, '.gitignore': IGNORE_BUILD });
    plantSentinels(built);
    const run = await phasegate(['run', 'mig', '--yes'], { cwd: built.dir });
    expect(run.exitCode, run.all).toBe(0);
    return built;
  });
  const planted = { ...SENTINELS };
  // main gains a file with the deprecated import: the sync migrates it (outcome more) and writes it into the working tree.
  repo.git('checkout', '-q', 'main');
  repo.write('app/c.py', 'from old.mod import thing\n');
  repo.git('add', 'app/c.py');
  // These tests are about the scratch clone's sync (sync-in-place-crash.test.ts has the replay in place).
  mainChangesIgnoreRules(repo);
  repo.git('commit', '-q', '-m', 'main gains c.py');
  repo.git('checkout', '-q', BRANCH);
  return { repo, planted, before: snapshot(repo), mainTip: repo.git('rev-parse', 'main').trim() };
}

const journalFile = (repo: TestRepo) => path.join(repo.dir, '.git', 'phasegate', 'journal.json');
const journal = (repo: TestRepo) => JSON.parse(readFileSync(journalFile(repo), 'utf8')) as {
  operation: string; stage: string; scratch?: string; moves?: { ref: string; old: string | null; new: string | null }[];
};

/** What the sync may add next to the user's refs: its kept attempt and kept files, under refs/phasegate/mig/. */
const KEPT = /^[0-9a-f]+ refs\/phasegate\/mig\/(sync-attempt|discarded)\//;
const withoutKept = (shot: RepoSnapshot): RepoSnapshot => ({ ...shot, refs: shot.refs.split('\n').filter((line) => !KEPT.test(line)).join('\n') });

const planTags = (repo: TestRepo) => Object.fromEntries(['base', 'imports', 'calls'].map((name) => [name, repo.git('rev-parse', `phasegate/mig/${name}^{commit}`).trim()]));

/** Fully synced: base on main's tip, each phase tag on the branch's first-parent line, the tree migrated and clean. */
function expectSynced(setup: Setup): void {
  const { repo } = setup;
  const tags = planTags(repo);
  expect(tags.base).toBe(setup.mainTip);
  expect(tags.calls).toBe(repo.git('rev-parse', BRANCH).trim());
  expect(repo.git('rev-parse', `${tags.calls}^`).trim()).toBe(tags.imports);
  expect(repo.git('rev-parse', `${tags.imports}^`).trim()).toBe(tags.base);
  expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe(BRANCH);
  expect(repo.read('app/c.py')).toBe('from new.mod import thing\n');
  expect(repo.git('status', '--porcelain', '--untracked-files=all').trim()).toBe('?? notes/todo.txt');
  expect(repo.refs().filter((ref) => ref.includes('/sync-work/'))).toEqual([]);
  expectSentinels(repo, setup.planted, 'after the sync');
}

/** As before the sync, byte for byte (refs, HEAD, index, every file), apart from what it kept under refs/phasegate/mig/. */
function expectAsBefore(setup: Setup, when: string): void {
  expect(withoutKept(snapshot(setup.repo)), when).toEqual(setup.before);
  expectSentinels(setup.repo, setup.planted, when);
}

async function killedAt(setup: Setup, failpoint: string): Promise<void> {
  const killed = await phasegate(['sync', 'mig', '--yes'], { cwd: setup.repo.dir, env: { PHASEGATE_FAILPOINT: failpoint } });
  expect(killed.exitCode, killed.all).toBe(-1); // SIGKILL
  expect(journal(setup.repo).operation).toBe('sync');
}

/**
 * `status` notices and touches nothing; then the next command (which takes over the dead process's
 * lock) finishes or undoes the sync: `run` (nothing left to run) shows the state it restored,
 * `sync` goes on to complete the sync.
 */
async function recover(setup: Setup, via: 'run' | 'sync', expected: 'as before' | 'synced'): Promise<void> {
  const { repo } = setup;
  const crashed = snapshot(repo);
  const status = await phasegate(['status', 'mig'], { cwd: repo.dir });
  expect(status.exitCode, status.all).toBe(0);
  expect(status.stdout).toMatch(/INTERRUPTED: a sync of plan 'mig' \(branch phasegate\/mig\) was interrupted/);
  expect(snapshot(repo)).toEqual(crashed);

  const next = await phasegate(via === 'run' ? ['run', 'mig', '--yes'] : ['sync', 'mig', '--yes'], { cwd: repo.dir });
  expect(next.exitCode, next.all).toBe(0);
  expect(next.stderr).toMatch(/took over a lock left by pid \d+/);
  expect(next.stderr).toContain("a sync of plan 'mig'");
  expect(existsSync(journalFile(repo))).toBe(false);
  if (expected === 'as before') expectAsBefore(setup, 'after the recovery');
  else expectSynced(setup);
}

describe('kill -9 of phasegate sync', () => {
  it('while replaying in the scratch clone: nothing had moved; the clone is removed', async () => {
    const setup = await migratedWithSentinels();
    await killedAt(setup, 'during-check');
    expect(journal(setup.repo).stage).toBe('replay');
    const scratch = journal(setup.repo).scratch!;
    expect(existsSync(scratch)).toBe(true);
    expectAsBefore(setup, 'right after the kill');
    await recover(setup, 'run', 'as before');
    expect(existsSync(scratch)).toBe(false);
  });

  it('after the journal recorded the move, before anything moved (the rebuild fetched): sync again undoes it and completes', async () => {
    const setup = await migratedWithSentinels();
    await killedAt(setup, 'sync-before-move');
    expect(journal(setup.repo).stage).toBe('publish');
    await recover(setup, 'sync', 'synced');
  });

  it('half-way through writing the working tree (a new file written, index.lock left): put back as before', async () => {
    const setup = await migratedWithSentinels();
    await killedAt(setup, 'sync-before-move');
    // What a `git read-tree -u` killed half-way leaves: some of the new files written, its lock.
    setup.repo.write('app/c.py', 'from new.mod import thing\n');
    writeFileSync(path.join(setup.repo.dir, '.git', 'index.lock'), '');
    await recover(setup, 'run', 'as before');
    // The file it had written is not simply deleted: it is kept on a ref.
    const kept = setup.repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/discarded/'));
    expect(kept).toHaveLength(1);
  });

  it('after the working tree moved, before the refs: sync again puts it back and completes', async () => {
    const setup = await migratedWithSentinels();
    await killedAt(setup, 'sync-after-worktree');
    expect(setup.repo.read('app/c.py')).toBe('from new.mod import thing\n');
    await recover(setup, 'sync', 'synced');
  });

  it('with some refs moved and others not (a transaction cut short) and a file edited: every ref back as before, none half-moved, the edit kept', async () => {
    const setup = await migratedWithSentinels();
    await killedAt(setup, 'sync-after-worktree');
    const moves = journal(setup.repo).moves!;
    const branch = moves.find((move) => move.ref === `refs/heads/${BRANCH}`)!;
    const imports = moves.find((move) => move.ref === 'refs/tags/phasegate/mig/imports')!;
    setup.repo.git('update-ref', branch.ref, branch.new!, branch.old!);
    setup.repo.git('update-ref', imports.ref, imports.new!, imports.old!);
    // And someone edited a file meanwhile: it is put back too, but the edit is kept on a ref first.
    setup.repo.write('app/b.py', 'edited by hand\n');
    await recover(setup, 'run', 'as before');
    const kept = setup.repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/discarded/'));
    expect(kept.map((ref) => setup.repo.git('show', `${ref}:app/b.py`))).toContain('edited by hand\n');
  });

  it('after every ref moved, before the journal was cleared: the sync is complete', async () => {
    const setup = await migratedWithSentinels();
    await killedAt(setup, 'sync-after-refs');
    await recover(setup, 'run', 'synced');
  });
});
