import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, phasegate } from './helpers/cli.js';
import { tempDir } from './helpers/repo.js';
import { PLAN } from './helpers/sync-repo.js';
import { snapshot } from './helpers/snapshot.js';
import { expectAsBefore, expectSynced, migratedAndMoved, noTempFolder, recoverKilledSync, type InPlaceSetup } from './helpers/sync-in-place.js';

/**
 * `kill -9` of an in-place `phasegate sync` (the replay in the user's working tree, HEAD detached
 * at the new base) at each point of its work. `status` notices and changes nothing; the next
 * command puts everything back (before the publication: HEAD on the branch at its old tip, the
 * working tree with it, the replay's refs gone, its work kept on a sync-attempt ref) or finds the
 * sync complete — and every planted untracked and ignored byte is still there. `sync` again then
 * completes it.
 */
const journalFile = (setup: InPlaceSetup) => path.join(setup.repo.dir, '.git', 'phasegate', 'journal.json');
const journal = (setup: InPlaceSetup) => JSON.parse(readFileSync(journalFile(setup), 'utf8')) as { operation: string; stage: string; inPlace?: boolean };
const attempts = (setup: InPlaceSetup) => setup.repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/sync-attempt/'));

async function killedAt(setup: InPlaceSetup, failpoint: string, stage: string, env: Record<string, string> = {}): Promise<void> {
  const killed = await phasegate(['sync', 'mig', '--yes'], { cwd: setup.repo.dir, env: { ...noTempFolder(), ...env, PHASEGATE_FAILPOINT: failpoint } });
  expect(killed.exitCode, killed.all).toBe(-1); // SIGKILL
  expect(journal(setup)).toMatchObject({ operation: 'sync', stage, inPlace: true });
}

describe('kill -9 of an in-place sync', () => {
  it('after the journal, before the switch to the new base: as before', async () => {
    const setup = await migratedAndMoved();
    await killedAt(setup, 'sync-before-switch', 'replay-in-place');
    await recoverKilledSync(setup, 'run', 'as before');
  });

  it('right after the switch (HEAD detached at the new base): as before, then sync completes', async () => {
    const setup = await migratedAndMoved();
    await killedAt(setup, 'sync-after-switch', 'replay-in-place');
    expect(setup.repo.git('rev-parse', '--symbolic-full-name', 'HEAD').trim()).toBe('HEAD');
    await recoverKilledSync(setup, 'run', 'as before');
    const again = await phasegate(['sync', 'mig', '--yes'], { cwd: setup.repo.dir, env: noTempFolder() });
    expect(again.exitCode, again.all).toBe(0);
    expectSynced(setup);
  });

  it('half-way through the switch (a file written, index.lock left): as before, by rollback', async () => {
    const setup = await migratedAndMoved();
    await killedAt(setup, 'sync-before-switch', 'replay-in-place');
    setup.repo.write('app/c.py', 'from old.mod import thing\n');
    writeFileSync(path.join(setup.repo.dir, '.git', 'index.lock'), '');
    await recoverKilledSync(setup, 'rollback', 'as before');
  });

  it('during a check of the replay: as before, the replay kept on a sync-attempt ref', async () => {
    const setup = await migratedAndMoved();
    await killedAt(setup, 'during-check', 'replay-in-place');
    await recoverKilledSync(setup, 'run', 'as before');
    expect(attempts(setup)).toHaveLength(1);
    expect(setup.repo.git('show', `${attempts(setup)[0]}:app/c.py`)).toBe('from new.mod import thing\n');
  });

  it('before a replayed phase is tagged: the user\'s tags untouched; sync again undoes the replay and completes', async () => {
    const setup = await migratedAndMoved();
    const tags = (refs: string) => refs.split('\n').filter((line) => line.includes(' refs/tags/'));
    await killedAt(setup, 'before-tag', 'replay-in-place');
    expect(tags(snapshot(setup.repo).refs)).toEqual(tags(setup.before.refs));
    await recoverKilledSync(setup, 'sync', 'synced');
  });

  it('after the replay, before the publication was journalled: as before', async () => {
    const setup = await migratedAndMoved();
    await killedAt(setup, 'sync-before-publish', 'replay-in-place');
    await recoverKilledSync(setup, 'run', 'as before');
    expect(attempts(setup)).toHaveLength(1);
  });

  it('with the move journalled, HEAD still detached at the rebuild: as before by run, synced by sync', async () => {
    const setup = await migratedAndMoved();
    await killedAt(setup, 'sync-before-move', 'publish');
    await recoverKilledSync(setup, 'run', 'as before');
    const again = await migratedAndMoved();
    await killedAt(again, 'sync-before-move', 'publish');
    await recoverKilledSync(again, 'sync', 'synced');
  });

  it('HEAD back on the branch, before the refs moved: as before', async () => {
    const setup = await migratedAndMoved();
    await killedAt(setup, 'sync-after-worktree', 'publish');
    expect(setup.repo.git('symbolic-ref', 'HEAD').trim()).toBe('refs/heads/phasegate/mig');
    await recoverKilledSync(setup, 'run', 'as before');
  });

  it('after every ref moved, before the replay\'s refs were dropped: the sync is complete', async () => {
    const setup = await migratedAndMoved();
    await killedAt(setup, 'sync-after-refs', 'publish');
    await recoverKilledSync(setup, 'run', 'synced');
  });

  it('while putting back after a failed check (HEAD on the branch, the replay\'s tree still there): as before', async () => {
    const setup = await migratedAndMoved((repo) => repo.write('app/a.py', 'from old.mod import thing\nprint(thing, 1)\n'));
    await killedAt(setup, 'sync-before-put-back', 'replay-in-place');
    await recoverKilledSync(setup, 'run', 'as before');
    expect(attempts(setup)).toHaveLength(1);
  });
});

describe('Ctrl-C during an in-place sync', () => {
  it('during a long check of the replay: exit 130, branch, tags, working tree and sentinels as before, nothing of the replay left', async () => {
    // The check sleeps only when SLOW names a file for its pid (the sync), not in the first run.
    const slow = PLAN.replace("      - forbid: 'print\\(thing'", "      - forbid: 'print\\(thing'\n      - run: 'if [ -n \"$SLOW\" ]; then sleep 60 & echo $! > \"$SLOW\"; wait; fi'\n        timeout: 2m");
    const setup = await migratedAndMoved(undefined, { 'plans/mig.yaml': slow });
    const pidFile = path.join(tempDir(), 'pid');
    const child = execa(process.execPath, [BIN, 'sync', 'mig', '--yes'], { cwd: setup.repo.dir, reject: false, env: { NO_COLOR: '1', SLOW: pidFile } });
    const readPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0);
    try {
      for (let i = 0; i < 600 && !(readPid() > 0); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readPid(), 'the long check did not start within 30 s').toBeGreaterThan(0);
      expect(setup.repo.git('rev-parse', '--symbolic-full-name', 'HEAD').trim()).toBe('HEAD');
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode, result.all).toBe(130);
    } finally {
      child.kill('SIGKILL');
    }
    expectAsBefore(setup, 'after Ctrl-C');
  });
});
