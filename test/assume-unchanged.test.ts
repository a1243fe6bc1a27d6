import { describe, expect, it } from 'vitest';
import { phasegate, type CliResult } from './helpers/cli.js';
import { makeRepo, type TestRepo } from './helpers/repo.js';
import { onePhasePlan } from './helpers/plan-yaml.js';
import { snapshot } from './helpers/snapshot.js';
import { IGNORE_BUILD, plantGitSentinels, plantSentinels } from './helpers/sentinels.js';

/**
 * `git update-index --assume-unchanged` is how many people keep a local edit of a tracked file
 * (settings, a secret) out of their commits: git stops looking at the file. phasegate's
 * dirty-tree check could not see such an edit either. A failed phase's revert then wrote the
 * committed version over it (the edit was gone, not even in the kept work), and a rollback
 * stopped half-way. A step's change to such a file never reached the checkpoint, while the checks
 * judged the file on disk. phasegate now refuses to start (exit 2, one line, nothing changed) and
 * names the files and the way out.
 */
const SETTINGS = 'src/local_settings.py';
const LOCAL_EDIT = 'old_call()  # settings\nSECRET = "only on this machine"\n';

/** The project, with what a user keeps around it: untracked and ignored folders, a stash, another branch (the snapshots compare them all). */
function repoWithPlan(validate: string[] = []): TestRepo {
  const repo = makeRepo({
    'src/a.py': 'old_call()\n',
    [SETTINGS]: 'old_call()  # settings\n',
    '.gitignore': IGNORE_BUILD,
    'plans/p.yaml': onePhasePlan('p', ["    transform:", "      - replace: 'old_call'", "        with: 'new_call'", ...(validate.length ? ['    validate:', ...validate] : []), ''].join('\n')),
  });
  plantGitSentinels(repo, 'src/a.py');
  plantSentinels(repo);
  return repo;
}

/** The local edit git is told not to look at. */
function hideLocalEdit(repo: TestRepo, content = LOCAL_EDIT): void {
  repo.write(SETTINGS, content);
  repo.git('update-index', '--assume-unchanged', SETTINGS);
  expect(repo.git('status', '--porcelain', '--untracked-files=no')).toBe('');
}

/** The plan run once, on its migration branch. */
async function migrated(): Promise<TestRepo> {
  const repo = repoWithPlan();
  const run = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
  expect(run.exitCode, run.all).toBe(0);
  return repo;
}

const MIGRATED_EDIT = 'new_call()  # settings\nSECRET = "only on this machine"\n';

function expectRefused(result: CliResult): void {
  expect(result.exitCode, result.all).toBe(2);
  // Besides the refusal, only the notice that the user's untracked files are left alone (planted here).
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '' && !/^leaving 1 untracked file\(s\) alone .*: notes\/todo\.txt$/.test(line));
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toContain(SETTINGS);
  expect(lines[0]).toMatch(/assume-unchanged/);
  expect(lines[0]).toMatch(/nothing was changed/);
  expect(lines[0]).toContain('git update-index --no-assume-unchanged');
}

describe('files marked assume-unchanged', () => {
  it('run refuses, whether a step would touch the hidden edit or a check would fail, and the edit stays', async () => {
    const repo = repoWithPlan(["      - require: 'no_such_call'"]);
    hideLocalEdit(repo);
    const before = snapshot(repo);
    for (const args of [['run', 'p', '--yes'], ['run', 'p', '--yes', '--no-branch']]) {
      expectRefused(await phasegate(args, { cwd: repo.dir }));
      expect(snapshot(repo), args.join(' ')).toEqual(before);
    }
    expect(repo.read(SETTINGS)).toBe(LOCAL_EDIT);
  });

  it('run refuses when the marked file holds no edit: git would not commit what a step changes in it', async () => {
    const repo = repoWithPlan();
    hideLocalEdit(repo, 'old_call()  # settings\n');
    const before = snapshot(repo);
    expectRefused(await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir }));
    expect(snapshot(repo)).toEqual(before);
  });

  it('rollback refuses before moving anything: branch, tags, refs and the hidden edit as they were', async () => {
    const repo = await migrated();
    hideLocalEdit(repo, MIGRATED_EDIT);
    const before = snapshot(repo);
    expectRefused(await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir }));
    expect(snapshot(repo)).toEqual(before);
  });

  it('sync refuses before replaying anything, and the hidden edit stays', async () => {
    const repo = await migrated();
    repo.git('checkout', '-q', 'main');
    repo.write('src/b.py', 'old_call()\n');
    repo.git('add', 'src/b.py');
    repo.git('commit', '-q', '-m', 'main moves on');
    repo.git('checkout', '-q', 'phasegate/p');
    hideLocalEdit(repo, MIGRATED_EDIT);
    const before = snapshot(repo);
    expectRefused(await phasegate(['sync', 'p', '--yes'], { cwd: repo.dir }));
    expect(snapshot(repo)).toEqual(before);
  });

  it('once the flag is cleared and the edit put aside, the run goes ahead', async () => {
    const repo = repoWithPlan();
    hideLocalEdit(repo);
    expectRefused(await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir }));
    repo.git('update-index', '--no-assume-unchanged', SETTINGS);
    repo.git('stash', '-q');
    const run = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    expect(repo.git('show', `phasegate/p/one:${SETTINGS}`)).toBe('new_call()  # settings\n');
  });
});
