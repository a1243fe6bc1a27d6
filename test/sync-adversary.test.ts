import { execa } from 'execa';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, phasegate } from './helpers/cli.js';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';
import { expectSentinels, plantSentinels } from './helpers/sentinels.js';
import { snapshot } from './helpers/snapshot.js';
import { BRANCH, FILES, PLAN, migrated, onMain, planRefs, tagCommit } from './helpers/sync-repo.js';

/**
 * `sync` and `verify` as users hit them: started from wherever they happen to be, with their own
 * untracked and ignored files about, on packed or borrowed object stores, twice at once, with odd
 * `--onto` values. Each case checks where the user ends up and every byte of their files.
 */
const userFiles = (repo: TestRepo) => {
  repo.write('.git/info/exclude', 'build/\n__pycache__/\n');
  // An untracked .py with the deprecated import: sync must neither migrate nor lose it.
  return plantSentinels(repo, { 'app/draft.py': 'from old.mod import thing\n', 'app/__pycache__/a.pyc': Buffer.from([0, 0xff, 1]) });
};

const mainGainsFile = (repo: TestRepo) => onMain(repo, () => repo.write('app/c.py', 'from old.mod import thing\n'));

function expectRebuilt(repo: TestRepo): void {
  expect(repo.git('show', `${BRANCH}:app/c.py`)).toBe('from new.mod import thing\n');
  expect(repo.git('rev-parse', 'phasegate/mig/base^{commit}').trim()).toBe(repo.git('rev-parse', 'main').trim());
  expect(tagCommit(repo, 'calls')).toBe(repo.git('rev-parse', BRANCH).trim());
}

describe('phasegate sync, adversarially', () => {
  it('started from another branch and from a detached HEAD: the user ends where they started, files untouched, the branch rebuilt', async () => {
    const repo = await migrated();
    mainGainsFile(repo);
    repo.git('checkout', '-q', '-b', 'feature', 'main');
    const planted = userFiles(repo);
    const before = snapshot(repo);
    const fromBranch = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(fromBranch.exitCode, fromBranch.all).toBe(0);
    expectRebuilt(repo);
    const after = snapshot(repo);
    expect(after.head).toBe(before.head);
    expect(after.files).toEqual(before.files);
    expect(after.status).toBe(before.status);
    expectSentinels(repo, planted, 'after a sync from another branch');

    // main moves again (only the new file committed: the planted ones stay untracked).
    repo.git('checkout', '-q', 'main');
    repo.write('app/d.py', 'from old.mod import thing\n');
    repo.git('add', 'app/d.py');
    repo.git('commit', '-q', '-m', 'main moves on');
    repo.git('checkout', '-q', '--detach', 'main~2');
    const detached = snapshot(repo);
    const fromDetached = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(fromDetached.exitCode, fromDetached.all).toBe(0);
    expect(repo.git('show', `${BRANCH}:app/d.py`)).toBe('from new.mod import thing\n');
    const end = snapshot(repo);
    expect(end.head).toBe(detached.head);
    expect(end.files).toEqual(detached.files);
    expect(end.status).toBe(detached.status);
    expectSentinels(repo, planted, 'after a sync from a detached HEAD');
  });

  it('on the migration branch with untracked and ignored files everywhere: every byte kept after success and after a conflict', async () => {
    const repo = await migrated();
    // A manual commit that will conflict with main, planted first so that the conflicting sync comes second.
    mainGainsFile(repo);
    const planted = userFiles(repo);
    const ok = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(ok.exitCode, ok.all).toBe(0);
    expect(repo.read('app/c.py')).toBe('from new.mod import thing\n');
    expectSentinels(repo, planted, 'after a successful sync');

    repo.write('app/b.py', 'from new.mod import thing\nx = thing  # mine\n');
    repo.git('add', 'app/b.py');
    repo.git('commit', '-q', '-m', 'by hand');
    repo.git('checkout', '-q', 'main');
    repo.write('app/b.py', 'from old.mod import thing\nx = thing  # theirs\n');
    repo.git('add', 'app/b.py');
    repo.git('commit', '-q', '-m', 'main edits b');
    repo.git('checkout', '-q', BRANCH);
    const before = snapshot(repo);
    const conflict = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(conflict.exitCode, conflict.all).toBe(1);
    expect(conflict.stdout).toMatch(/conflict/);
    const after = snapshot(repo);
    // Only the attempt ref and the pre-sync state kept under synced/ are new.
    const refsBefore = before.refs.split('\n');
    expect(after.refs.split('\n').filter((line) => refsBefore.includes(line) || !/\/(sync-attempt|synced)\//.test(line))).toEqual(refsBefore);
    expect({ ...after, refs: '' }).toEqual({ ...before, refs: '' });
    expectSentinels(repo, planted, 'after a conflicting sync');
    repo.git('fsck', '--full', '--no-dangling', '--no-progress');
  });

  it('refused in one line, exit 2, nothing changed: the branch in another worktree, --onto missing, empty or holding the migration (the branch itself, main after the merge), a TMPDIR that does not exist; --onto a tag or a commit id works', async () => {
    const repo = await migrated();
    mainGainsFile(repo);
    const before = snapshot(repo);
    const refused = async (args: string[], says: string, env: Record<string, string> = {}) => {
      const result = await phasegate(['sync', 'mig', '--yes', ...args], { cwd: repo.dir, env });
      expect(result.exitCode, result.all).toBe(2);
      // The progress line may come first; the refusal is one line, not a crash.
      expect(result.stderr.trim().split('\n').filter((line) => line.startsWith('phasegate:')), result.all).toHaveLength(1);
      expect(result.stderr).not.toContain('a bug');
      expect(result.stderr).toContain(says);
      expect(existsSync(path.join(repo.dir, '.git/phasegate/journal.json'))).toBe(false);
    };

    repo.git('checkout', '-q', 'main');
    const other = path.join(tempDir(), 'wt');
    repo.git('worktree', 'add', '-q', other, BRANCH);
    const elsewhere = snapshot(repo);
    await refused([], 'another worktree');
    expect(snapshot(repo)).toEqual(elsewhere);
    repo.git('worktree', 'remove', '--force', other);
    repo.git('checkout', '-q', BRANCH);

    await refused(['--onto', 'no-such-ref'], 'no-such-ref');
    // An empty value (a CI variable left unset) is not "no main branch here".
    await refused(['--onto', ''], '--onto');
    await refused(['--onto', BRANCH], 'already contains');
    const missing = path.join(tempDir(), 'no-such-folder');
    // Only the scratch clone needs TMPDIR: with the branch checked out the sync replays in place.
    repo.git('checkout', '-q', 'main');
    await refused([], `${missing} (ENOENT): set TMPDIR`, { TMPDIR: missing });
    repo.git('checkout', '-q', BRANCH);
    expect(snapshot(repo)).toEqual(before);

    repo.git('tag', '-a', '-m', 'release', 'v1', 'main');
    const byTag = await phasegate(['sync', 'mig', '--yes', '--onto', 'v1'], { cwd: repo.dir });
    expect(byTag.exitCode, byTag.all).toBe(0);
    expectRebuilt(repo);

    onMain(repo, () => repo.write('app/d.py', 'from old.mod import thing\n'));
    const sha = repo.git('rev-parse', 'main').trim();
    const bySha = await phasegate(['sync', 'mig', '--yes', '--onto', sha], { cwd: repo.dir });
    expect(bySha.exitCode, bySha.all).toBe(0);
    expect(repo.git('show', `${BRANCH}:app/d.py`)).toBe('from new.mod import thing\n');
    repo.git('fsck', '--full', '--no-dangling', '--no-progress');

    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--no-ff', '-m', 'merge the migration', BRANCH);
    repo.git('checkout', '-q', BRANCH);
    const merged = snapshot(repo);
    await refused([], 'phasegate verify mig');
    expect(snapshot(repo)).toEqual(merged);
  });

  it('a repository whose objects are all packed, and one that borrows them (objects/info/alternates): complete after sync', async () => {
    const repo = await migrated();
    mainGainsFile(repo);
    repo.git('gc', '-q', '--prune=now');
    const packed = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(packed.exitCode, packed.all).toBe(0);
    expectRebuilt(repo);
    repo.git('fsck', '--full', '--no-dangling', '--no-progress');

    // A clone that reads repo's objects through alternates, with its own migration branch and tags.
    const borrowed = path.join(tempDir(), 'borrowed');
    repo.git('clone', '-q', '--shared', '-b', 'main', repo.dir, borrowed);
    const git = (...args: string[]) => execa('git', args, { cwd: borrowed }).then((r) => r.stdout);
    await git('config', 'user.name', 'Test User');
    await git('config', 'user.email', 'test@example.com');
    await git('fetch', '-q', 'origin', '+refs/tags/*:refs/tags/*', `+refs/heads/${BRANCH}:refs/heads/${BRANCH}`);
    writeFileSync(path.join(borrowed, 'app/e.py'), 'from old.mod import thing\n');
    await git('add', 'app/e.py');
    await git('commit', '-q', '-m', 'main moves in the borrowing clone');
    await git('checkout', '-q', BRANCH);
    const alternates = await phasegate(['sync', 'mig', '--yes'], { cwd: borrowed });
    expect(alternates.exitCode, alternates.all).toBe(0);
    expect(await git('show', `${BRANCH}:app/e.py`)).toBe('from new.mod import thing');
    await git('fsck', '--full', '--no-dangling', '--no-progress');
  });

  it('two syncs at once: exactly one runs, the other is refused (exit 2) and changes nothing', async () => {
    const hold = path.join(tempDir(), 'hold');
    const started = path.join(tempDir(), 'started');
    // The check waits (only while PG_HOLD is set) until the test lets it go, so the two syncs overlap for sure.
    const plan = PLAN.replace("      - forbid: 'print\\(thing'", `      - forbid: 'print\\(thing'\n      - run: 'test -z "$PG_HOLD" || { touch "$PG_STARTED"; while [ ! -e "$PG_HOLD" ]; do sleep 0.1; done; }'\n        timeout: 2m`);
    expect(plan).not.toBe(PLAN);
    const repo = makeRepo({ ...FILES, 'plans/mig.yaml': plan });
    const run = await phasegate(['run', 'mig', '--yes'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    mainGainsFile(repo);
    const first = execa(process.execPath, [BIN, 'sync', 'mig', '--yes'], {
      cwd: repo.dir, reject: false, all: true, env: { NO_COLOR: '1', CI: undefined, PG_HOLD: hold, PG_STARTED: started }, timeout: 120_000,
    });
    try {
      for (let i = 0; i < 900 && !existsSync(started); i++) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(started)).toBe(true);
      const refsBefore = planRefs(repo);
      const second = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
      expect(second.exitCode, second.all).toBe(2);
      expect(planRefs(repo)).toEqual(refsBefore);
    } finally {
      writeFileSync(hold, '');
    }
    const firstResult = await first;
    expect(firstResult.exitCode, firstResult.all).toBe(0);
    expectRebuilt(repo);
  });

  it('verify after a sync, on HEAD and on --ref main, and status: the repository byte for byte unchanged', async () => {
    const repo = await migrated();
    mainGainsFile(repo);
    repo.write('.git/info/exclude', 'build/\n');
    // No untracked .py here: verify at HEAD checks the working tree, as a run's checks do.
    const planted = plantSentinels(repo);
    const sync = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(sync.exitCode, sync.all).toBe(0);

    const status = await phasegate(['status', 'mig'], { cwd: repo.dir });
    expect(status.exitCode, status.all).toBe(0);
    expect(status.stdout).not.toContain('run phasegate sync');
    expect(status.stdout).toMatch(/calls/);

    const before = snapshot(repo);
    const onHead = await phasegate(['verify', 'mig'], { cwd: repo.dir });
    expect(onHead.exitCode, onHead.all).toBe(0);
    expect(snapshot(repo)).toEqual(before);
    const onMainRef = await phasegate(['verify', 'mig', '--ref', 'main'], { cwd: repo.dir });
    // main still has the deprecated imports: the checks fail there, pointing at the file.
    expect(onMainRef.exitCode, onMainRef.all).toBe(1);
    expect(onMainRef.all).toMatch(/app\/a\.py:1/);
    expect(snapshot(repo)).toEqual(before);
    expectSentinels(repo, planted, 'after verify');
  });

  it('a repository shared with a group (core.sharedRepository), synced under umask 077: the group can still read every object', async () => {
    const repo = await migrated();
    repo.git('config', 'core.sharedRepository', 'group');
    mainGainsFile(repo);
    const objects = path.join(repo.dir, '.git/objects');
    const everything = (dir: string): string[] => readdirSync(dir).flatMap((entry) => {
      const full = path.join(dir, entry);
      return statSync(full).isDirectory() ? [full, ...everything(full)] : [full];
    });
    // git adjusts the modes of what it creates, not of what was there before the setting.
    const before = new Set(everything(objects));
    const sync = await execa('sh', ['-c', `umask 077 && exec "${process.execPath}" "${BIN}" sync mig --yes`], { cwd: repo.dir, reject: false, all: true, env: { NO_COLOR: '1', CI: undefined } });
    expect(sync.exitCode, sync.all).toBe(0);
    expectRebuilt(repo);
    // As git itself leaves them with this setting: objects readable and folders writable by the group.
    const unshared = everything(objects).filter((file) => !before.has(file)).filter((file) => {
      const stat = statSync(file);
      return stat.isDirectory() ? (stat.mode & 0o070) !== 0o070 : (stat.mode & 0o040) === 0;
    }).map((file) => `${path.relative(objects, file)} ${(statSync(file).mode & 0o7777).toString(8)}`);
    expect(unshared).toEqual([]);
  });

  it('an ignored file where the rebuild has a tracked one (git counts it expendable): exit 2, nothing moved, the file untouched', async () => {
    const repo = await migrated();
    onMain(repo, () => {
      repo.write('app/x.log', 'tracked on main\n');
      repo.write('gen/y.py', 'y = 1\n');
    });
    // Ignored here, tracked in the rebuild (as a file, and as the folder of a new file).
    repo.write('.git/info/exclude', '*.log\n/gen\n');
    repo.write('app/x.log', 'MY LOCAL LOG\n');
    repo.write('gen', 'my generated file\n');
    expect(repo.git('status', '--porcelain', '--ignored')).toContain('!! gen');
    const before = snapshot(repo);
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('app/x.log');
    expect(repo.read('app/x.log')).toBe('MY LOCAL LOG\n');
    expect(repo.read('gen')).toBe('my generated file\n');
    const after = snapshot(repo);
    expect(after.refs.split('\n').filter((line) => !line.includes('/sync-attempt/'))).toEqual(before.refs.split('\n'));
    expect({ ...after, refs: '' }).toEqual({ ...before, refs: '' });
  });

  it('status after a sync was killed half-way says that the next sync (or run, or rollback) puts it right', async () => {
    const repo = await migrated();
    mainGainsFile(repo);
    const scratch = tempDir('phasegate-tmp-');
    const killed = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir, env: { TMPDIR: scratch, PHASEGATE_FAILPOINT: 'sync-after-worktree' } });
    expect(killed.exitCode, killed.all).not.toBe(0);
    const status = await phasegate(['status', 'mig'], { cwd: repo.dir });
    expect(status.stdout).toContain('INTERRUPTED: a sync');
    expect(status.stdout).toMatch(/next 'phasegate sync'/);
    expect(status.stdout).not.toContain('restores the last checkpoint');
    const again = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir, env: { TMPDIR: scratch } });
    expect(again.exitCode, again.all).toBe(0);
    expectRebuilt(repo);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('a tracked file that main turns into a folder (and a folder into a file): the sync goes through, the tree follows', async () => {
    const repo = makeRepo({ ...FILES, gen: 'a file for now\n', 'lib/x.txt': 'in a folder for now\n' });
    const run = await phasegate(['run', 'mig', '--yes'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    repo.git('checkout', '-q', 'main');
    repo.git('rm', '-q', 'gen', 'lib/x.txt');
    repo.write('gen/y.py', 'from old.mod import thing\n');
    repo.write('lib', 'a file now\n');
    repo.commitAll('gen becomes a folder, lib a file');
    repo.git('checkout', '-q', BRANCH);
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.read('gen/y.py')).toBe('from new.mod import thing\n');
    expect(repo.read('lib')).toBe('a file now\n');
    expect(repo.git('status', '--porcelain', '--ignored')).toBe('');
  });
});
