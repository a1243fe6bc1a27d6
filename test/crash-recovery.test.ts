import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { makeRepo, tempDir } from './helpers/repo.js';
import { expectGitSentinels, expectSentinels, IGNORE_BUILD, plantGitSentinels, plantSentinels } from './helpers/sentinels.js';

/**
 * After `kill -9` of phasegate (issue 11): nothing it started keeps running, and a git it started
 * that died with it does not block the next command's recovery with a stale `.git/index.lock`.
 */

const started: ChildProcess[] = [];
const strays: number[] = [];

afterEach(() => {
  for (const pid of strays.splice(0)) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie is dead for our purpose (its parent, the killed phasegate, is gone).
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited >= timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Start the CLI without waiting for it (not in its own process group: `kill -9` hits phasegate only). */
function start(args: string[], cwd: string): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1', CI: undefined } });
  started.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

/** The shop plan with a slow check in phase 'sender' that writes its pid where the test can see it. */
function slowCheckRepo(start = 'sleep 120') {
  const outside = tempDir();
  const pidFile = path.join(outside, 'check.pid');
  const quick = path.join(outside, 'quick');
  const plan = threePhasePlan({ rollbackLog: '/dev/null' })
    .replace("      - forbid: '\\.send\\('", `      - run: 'test -e ${quick} || { ${start} & echo $! > ${pidFile}; wait; }'\n      - forbid: '\\.send\\('`);
  const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': plan });
  return { repo, pidFile, quick };
}

describe('kill -9 of phasegate while a command runs', () => {
  it('a running check does not outlive phasegate, and the next run completes', async () => {
    const { repo, pidFile, quick } = slowCheckRepo();
    const { child, exited } = start(['run', 'shop', '--yes'], repo.dir);
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the check to start');
    const check = Number(readFileSync(pidFile, 'utf8').trim());
    strays.push(check);
    expect(alive(check)).toBe(true);

    child.kill('SIGKILL');
    await exited;
    await waitFor(() => !alive(check), `the check (pid ${check}) to end with phasegate`, 10_000);

    // The check is quick now: the interrupted phase is restored and the run completes.
    writeFileSync(quick, '');
    const resumed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(resumed.stderr).toContain("phase 'sender' of plan 'shop' was interrupted");
  });
});

describe('kill -9 of phasegate while a command that left its process group runs', () => {
  it('the next command stops it (it carries the dead run\'s id) before restoring', async () => {
    // setsid: a new session, so neither our kill nor the group's watchdog reaches it.
    const { repo, pidFile, quick } = slowCheckRepo('setsid sleep 120');
    const { child, exited } = start(['run', 'shop', '--yes'], repo.dir);
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the check to start');
    const escaped = Number(readFileSync(pidFile, 'utf8').trim());
    strays.push(escaped);
    // The shell writes the pid before setsid has made its session: a kill in between takes the
    // check down with its group, and there is nothing left to escape (seen on a loaded machine).
    await waitFor(() => sessionOf(escaped) === escaped, 'the check to be in a session of its own');
    child.kill('SIGKILL');
    await exited;
    await sleep(500);
    expect(alive(escaped), 'the escaped check still runs after the kill').toBe(true);

    writeFileSync(quick, '');
    const resumed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(resumed.stderr).toMatch(/stopped 1 process\(es\) the interrupted phasegate \(pid \d+\) had started/);
    await waitFor(() => !alive(escaped), `the escaped check (pid ${escaped}) to be stopped`, 10_000);
  });

  it('a process that does not carry the dead run\'s id is left alone', async () => {
    const { repo, pidFile, quick } = slowCheckRepo('setsid sleep 120');
    const { child, exited } = start(['run', 'shop', '--yes'], repo.dir);
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the check to start');
    strays.push(Number(readFileSync(pidFile, 'utf8').trim()));
    child.kill('SIGKILL');
    await exited;
    // An unrelated process in the repository (an editor's, say) must survive the recovery.
    const unrelated = spawn('sleep', ['120'], { cwd: repo.dir, stdio: 'ignore', detached: true, env: { PATH: process.env.PATH } });
    started.push(unrelated);
    strays.push(unrelated.pid!);

    writeFileSync(quick, '');
    const resumed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(alive(unrelated.pid!)).toBe(true);
  });
});

describe('a .git/index.lock left by a git that died with phasegate', () => {
  async function interruptedRun() {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }) });
    const crashed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir, env: { PHASEGATE_FAILPOINT: 'during-check' } });
    expect(crashed.exitCode, crashed.all).toBe(-1); // killed by SIGKILL
    return repo;
  }

  it('is removed by the recovery (saying so) when no git runs in the repository', async () => {
    const repo = await interruptedRun();
    const lock = path.join(repo.dir, '.git', 'index.lock');
    writeFileSync(lock, '');

    const resumed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(resumed.stderr).toMatch(/removed .*index\.lock.* left by a git that died/);
    expect(existsSync(lock)).toBe(false);
    expect(repo.tags()).toEqual(['phasegate/shop/base', 'phasegate/shop/imports', 'phasegate/shop/sender', 'phasegate/shop/docs'].sort());
  });

  it('is removed before an interrupted rollback is finished', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }) });
    expect((await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    const crashed = await phasegate(['rollback', 'imports', '--yes'], { cwd: repo.dir, env: { PHASEGATE_FAILPOINT: 'during-rollback' } });
    expect(crashed.exitCode, crashed.all).toBe(-1);
    const lock = path.join(repo.dir, '.git', 'index.lock');
    writeFileSync(lock, '');

    const finished = await phasegate(['rollback', 'imports', '--yes'], { cwd: repo.dir });
    expect(finished.exitCode, finished.all).toBe(0);
    expect(finished.stderr).toMatch(/removed .*index\.lock/);
    expect(existsSync(lock)).toBe(false);
    expect(repo.tags()).toEqual(['phasegate/shop/base', 'phasegate/shop/imports']);
  });

  it('is left alone, and the command refuses naming it, while a live git holds it', async () => {
    const repo = await interruptedRun();
    // `git commit -a` holds index.lock while its pre-commit hook runs: a live git with its lock.
    const hookLog = path.join(tempDir(), 'hook-started');
    repo.write('.git/hooks/pre-commit', `#!/bin/sh\necho $$ > ${hookLog}\nsleep 60\n`, 0o755);
    repo.write('README.md', '# Shop, edited\n');
    const committer = spawn('git', ['commit', '-a', '-q', '-m', 'slow'], { cwd: repo.dir, stdio: 'ignore', detached: true });
    started.push(committer);
    strays.push(committer.pid!);
    const lock = path.join(repo.dir, '.git', 'index.lock');
    await waitFor(() => existsSync(hookLog) && existsSync(lock), 'git commit to hold index.lock');

    const refused = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(refused.exitCode, refused.all).toBe(2);
    expect(refused.stderr).toContain('index.lock');
    expect(existsSync(lock)).toBe(true);
  });
});

describe("the scratch copy of the index a checkpoint's tree is written from (git/checkpoint.ts)", () => {
  it("is removed, with git's lock on it, by the command that takes over from a phasegate killed while it was there; another process's is left", async () => {
    const repo = makeRepo({ ...projectFiles, '.gitignore': IGNORE_BUILD, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }) });
    const planted = plantSentinels(repo);
    const gitPlanted = plantGitSentinels(repo, 'app/util.py');
    const crashed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir, env: { PHASEGATE_FAILPOINT: 'before-commit' } });
    expect(crashed.exitCode, crashed.all).toBe(-1); // killed by SIGKILL
    const dead = (JSON.parse(readFileSync(path.join(repo.dir, '.git', 'phasegate', 'lock'), 'utf8')) as { pid: number }).pid;
    // What a kill -9 during the checkpoint's write-tree leaves beside the index.
    const left = [`phasegate-index-${dead}`, `phasegate-index-${dead}.lock`].map((name) => path.join(repo.dir, '.git', name));
    for (const file of left) writeFileSync(file, 'DIRC');
    // A live process's copy (this test's own pid) is not the dead phasegate's to remove.
    const live = path.join(repo.dir, '.git', `phasegate-index-${process.pid}`);
    writeFileSync(live, 'DIRC');

    const resumed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
    for (const file of left) expect(existsSync(file), file).toBe(false);
    expect(existsSync(live)).toBe(true);
    // Nothing but the user's own untracked file is left over.
    expect(repo.git('status', '--porcelain', '--untracked-files=all').trim()).toBe('?? notes/todo.txt');
    expectSentinels(repo, planted, 'after the recovery and run');
    expectGitSentinels(repo, gitPlanted, 'after the recovery and run');
  });
});

/** The session a process is in (field 6 of /proc/<pid>/stat), or undefined once it is gone. */
function sessionOf(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[3]);
  } catch {
    return undefined;
  }
}
