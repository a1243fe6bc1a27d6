import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { snapshot } from './helpers/snapshot.js';
import { expectAsBefore, expectNoReplayLeft, expectStoppedAsBefore, expectSynced, migratedAndMoved, noTempFolder, withoutKept, type InPlaceSetup } from './helpers/sync-in-place.js';
import { BRANCH, PLAN } from './helpers/sync-repo.js';

/**
 * `phasegate sync` with the migration branch checked out and clean replays in the user's own
 * working tree (HEAD detached at the new base) instead of a scratch clone, and ends exactly where
 * the scratch clone's sync ends; in every other case the scratch clone is used as before.
 */
const outcomes = (stdout: string) => stdout.split('\n').filter((line) => /^\s{2}(same|more|different|failed|conflict|kept)\s/.test(line)).map((line) => line.trim());
const trees = (setup: InPlaceSetup) => Object.fromEntries(['base', 'imports', 'calls'].map((name) => [name, setup.repo.git('rev-parse', `phasegate/mig/${name}^{tree}`).trim()]));

describe('sync in place', () => {
  it('the branch checked out and clean: no scratch clone (TMPDIR unusable), same trees, tags and outcomes as the scratch path', async () => {
    const inPlace = await migratedAndMoved();
    const synced = await phasegate(['sync', 'mig', '--yes'], { cwd: inPlace.repo.dir, env: noTempFolder() });
    expect(synced.exitCode, synced.all).toBe(0);
    expect(synced.stderr).toContain('in the working tree');
    expectSynced(inPlace);

    // The same repository synced with the branch not checked out: the scratch clone.
    const scratch = await migratedAndMoved();
    scratch.repo.git('checkout', '-q', 'main');
    const viaClone = await phasegate(['sync', 'mig', '--yes'], { cwd: scratch.repo.dir });
    expect(viaClone.exitCode, viaClone.all).toBe(0);
    expect(viaClone.stderr).toContain('in a scratch clone');
    expect(outcomes(synced.stdout)).toEqual(outcomes(viaClone.stdout));
    expect(outcomes(synced.stdout)).toEqual(['more        imports — also changes files new on main: app/c.py', 'same        calls']);
    expect(trees(inPlace)).toEqual(trees(scratch));
    expect(inPlace.repo.git('rev-parse', `${BRANCH}^{tree}`)).toBe(scratch.repo.git('rev-parse', `${BRANCH}^{tree}`));
  });

  it('an edit on main to a rewritten line: outcome different in place, as with the scratch clone', async () => {
    const setup = await migratedAndMoved((repo) => repo.write('app/b.py', 'from old.mod import thing, other\nx = thing\n'));
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: setup.repo.dir, env: noTempFolder() });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/different\s+imports.*app\/b\.py/);
    expect(setup.repo.read('app/b.py')).toBe('from new.mod import thing, other\nx = thing\n');
    expect(setup.repo.git('symbolic-ref', '--short', 'HEAD').trim()).toBe(BRANCH);
    expectNoReplayLeft(setup.repo);
  });

  it('main unchanged: every phase the same, nothing moves, HEAD back on the branch', async () => {
    const setup = await migratedAndMoved((repo) => repo.write('app/a.py', repo.read('app/a.py')));
    const result = await phasegate(['sync', 'mig', '--onto', 'phasegate/mig/base', '--yes'], { cwd: setup.repo.dir, env: noTempFolder() });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('is up to date');
    expectAsBefore(setup, 'after a sync with nothing to do');
  });

  it('a check fails on the new base: branch, tags, working tree and sentinels as before, the attempt kept, exit 1', async () => {
    const setup = await migratedAndMoved((repo) => repo.write('app/a.py', 'from old.mod import thing\nprint(thing, 1)\n'));
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: setup.repo.dir, env: noTempFolder() });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toMatch(/failed\s+calls/);
    expectStoppedAsBefore(setup, 'after the failed sync');
    const attempts = setup.repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/sync-attempt/'));
    expect(attempts).toHaveLength(1);
    expect(setup.repo.git('show', `${attempts[0]}:app/a.py`)).toBe('from new.mod import thing\nprint(thing, 1)\n');
    // The user's own failed refs are not the replay's to write.
    expect(setup.repo.refs().filter((ref) => ref.includes('/failed/'))).toEqual([]);
  });

  it('a carried commit conflicts: everything as before, the attempt kept, exit 1', async () => {
    const setup = await migratedAndMoved((repo) => repo.write('app/b.py', 'from old.mod import thing\nx = thing * 2\n'));
    const { repo } = setup;
    repo.write('app/b.py', 'from new.mod import thing\nx = thing + 1\n');
    repo.git('commit', '-q', '-am', 'hand fix on the migration branch');
    const before = withoutKept(snapshot(repo));
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir, env: noTempFolder() });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toMatch(/conflict\s+calls/);
    expectStoppedAsBefore({ ...setup, before }, 'after the conflict');
    expect(repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/sync-attempt/'))).toHaveLength(1);
  });

  it('a file the replay created that was not there before goes when the sync is undone; a file that was there stays', async () => {
    const plan = PLAN.replace("      - forbid: 'print\\(thing'", "      - forbid: 'print\\(thing'\n      - run: 'echo made by a check > made.txt; test -z \"$FAIL_SYNC\"'");
    const setup = await migratedAndMoved((repo) => repo.write('app/c.py', 'from old.mod import thing\n'), { 'plans/mig.yaml': plan });
    const before = withoutKept(snapshot(setup.repo));
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: setup.repo.dir, env: { ...noTempFolder(), FAIL_SYNC: '1' } });
    expect(result.exitCode, result.all).toBe(1);
    expect(setup.repo.exists('made.txt')).toBe(false);
    expectStoppedAsBefore({ ...setup, before }, 'after the failed sync');
  });
});

describe('sync keeps the scratch clone when the working tree cannot be used', () => {
  const refusedForTmp = async (setup: InPlaceSetup) => {
    const before = withoutKept(snapshot(setup.repo));
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: setup.repo.dir, env: noTempFolder() });
    // The scratch clone was asked for: its folder cannot be made there, and nothing changed.
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('cannot make a scratch folder');
    expect(withoutKept(snapshot(setup.repo))).toEqual(before);
  };

  it('the migration branch is not checked out', async () => {
    const setup = await migratedAndMoved();
    setup.repo.git('checkout', '-q', 'main');
    await refusedForTmp(setup);
  });

  it('HEAD is detached at the branch tip', async () => {
    const setup = await migratedAndMoved();
    setup.repo.git('checkout', '-q', '--detach', BRANCH);
    await refusedForTmp(setup);
  });

  it('an untracked file is where the new base has a tracked one', async () => {
    const setup = await migratedAndMoved();
    setup.repo.write('app/c.py', 'mine, untracked\n');
    await refusedForTmp(setup);
  });

  it('an ignored file is where the new base has a tracked one', async () => {
    const setup = await migratedAndMoved((repo) => {
      repo.write('build/tool.bin', 'tracked on main');
      repo.git('add', '-f', 'build/tool.bin');
    });
    setup.repo.write('build/tool.bin', 'mine, ignored');
    await refusedForTmp(setup);
    expect(setup.repo.read('build/tool.bin')).toBe('mine, ignored');
  });

  it('a tracked file is modified: refused before anything (exit 2), as always', async () => {
    const setup = await migratedAndMoved();
    setup.repo.write('app/a.py', 'edited\n');
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: setup.repo.dir, env: noTempFolder() });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('uncommitted changes');
    expect(setup.repo.read('app/a.py')).toBe('edited\n');
    expect(setup.repo.git('symbolic-ref', '--short', 'HEAD').trim()).toBe(BRANCH);
  });
});
