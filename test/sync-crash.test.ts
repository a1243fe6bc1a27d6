import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import type { TestRepo } from './helpers/repo.js';
import { BRANCH } from './helpers/sync-repo.js';
import { expectUntouched, mainChangesIgnoreRules, migratedAndMoved, recoverKilledSync, type InPlaceSetup } from './helpers/sync-in-place.js';

/**
 * `kill -9` of a real `phasegate sync` at each point of its work (PHASEGATE_FAILPOINT makes it
 * SIGKILL itself there). Afterwards `status` says so and changes nothing; the next command leaves
 * the branch and tags either exactly as before the sync or fully synced — never some tags moved and
 * others not — with every file (tracked, untracked, ignored) byte for byte as it should be, and no
 * lock that blocks; `sync` again then completes.
 */
type Setup = InPlaceSetup;

/** These tests are about the scratch clone's sync (sync-in-place-crash.test.ts has the replay in place): main also changes an ignore rule. */
async function migratedWithSentinels(): Promise<Setup> {
  return migratedAndMoved((repo) => {
    // main gains a file with the deprecated import: the sync migrates it (outcome more) and writes it into the working tree.
    repo.write('app/c.py', 'from old.mod import thing\n');
    mainChangesIgnoreRules(repo);
  });
}

const journalFile = (repo: TestRepo) => path.join(repo.dir, '.git', 'phasegate', 'journal.json');
const journal = (repo: TestRepo) => JSON.parse(readFileSync(journalFile(repo), 'utf8')) as {
  operation: string; stage: string; scratch?: string; moves?: { ref: string; old: string | null; new: string | null }[];
};

async function killedAt(setup: Setup, failpoint: string): Promise<void> {
  const killed = await phasegate(['sync', 'mig', '--yes'], { cwd: setup.repo.dir, env: { PHASEGATE_FAILPOINT: failpoint } });
  expect(killed.exitCode, killed.all).toBe(-1); // SIGKILL
  expect(journal(setup.repo).operation).toBe('sync');
}

describe('kill -9 of phasegate sync', () => {
  it('while replaying in the scratch clone: nothing had moved; the clone is removed', async () => {
    const setup = await migratedWithSentinels();
    await killedAt(setup, 'during-check');
    expect(journal(setup.repo).stage).toBe('replay');
    const scratch = journal(setup.repo).scratch!;
    expect(existsSync(scratch)).toBe(true);
    expectUntouched(setup, 'right after the kill');
    await recoverKilledSync(setup, 'run', 'as before');
    expect(existsSync(scratch)).toBe(false);
  });

  it('after the journal recorded the move, before anything moved (the rebuild fetched): sync again undoes it and completes', async () => {
    const setup = await migratedWithSentinels();
    await killedAt(setup, 'sync-before-move');
    expect(journal(setup.repo).stage).toBe('publish');
    await recoverKilledSync(setup, 'sync', 'synced');
  });

  it('half-way through writing the working tree (a new file written, index.lock left): put back as before', async () => {
    const setup = await migratedWithSentinels();
    await killedAt(setup, 'sync-before-move');
    // What a `git read-tree -u` killed half-way leaves: some of the new files written, its lock.
    setup.repo.write('app/c.py', 'from new.mod import thing\n');
    writeFileSync(path.join(setup.repo.dir, '.git', 'index.lock'), '');
    await recoverKilledSync(setup, 'run', 'as before');
    // The file it had written is not simply deleted: it is kept on a ref.
    const kept = setup.repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/discarded/'));
    expect(kept).toHaveLength(1);
  });

  it('after the working tree moved, before the refs: sync again puts it back and completes', async () => {
    const setup = await migratedWithSentinels();
    await killedAt(setup, 'sync-after-worktree');
    expect(setup.repo.read('app/c.py')).toBe('from new.mod import thing\n');
    await recoverKilledSync(setup, 'sync', 'synced');
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
    await recoverKilledSync(setup, 'run', 'as before');
    const kept = setup.repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/discarded/'));
    expect(kept.map((ref) => setup.repo.git('show', `${ref}:app/b.py`))).toContain('edited by hand\n');
  });

  it('after every ref moved, before the journal was cleared: the sync is complete', async () => {
    const setup = await migratedWithSentinels();
    await killedAt(setup, 'sync-after-refs');
    await recoverKilledSync(setup, 'run', 'synced');
  });
});
