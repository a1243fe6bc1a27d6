import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { killTree } from './helpers/process-tree.js';
import { makeRepo, tempDir } from './helpers/repo.js';
import { branchOf, logLines, statusAll, tagCommit, treeOf } from './helpers/git-reads.js';
import { migratedShop } from './helpers/shop.js';

/**
 * A repository after a full three-phase run, with rollback steps that append to a log in its
 * `.git` folder (rollback steps run in the repository root; there the log is no untracked file).
 * The same plan for every test, so the run is made once per file (migratedShop).
 */
async function migrated() {
  const repo = await migratedShop(threePhasePlan({ rollbackLog: '.git/rollback.log' }));
  const log = path.join(repo.dir, '.git', 'rollback.log');
  const tagged = (name: string) => tagCommit(repo, 'shop', name);
  return { repo, log, commits: { base: tagged('base'), imports: tagged('imports'), sender: tagged('sender'), docs: tagged('docs') } };
}


describe('phasegate rollback', () => {
  it.each([
    { target: 'sender', undone: ['docs'], steps: ['docs'] },
    { target: 'imports', undone: ['docs', 'sender'], steps: ['docs', 'sender-1', 'sender-2'] },
    { target: 'base', undone: ['docs', 'sender', 'imports'], steps: ['docs', 'sender-1', 'sender-2', 'imports'] },
  ])('to $target: tree equals the tag, later tags pruned, undone refs kept, rollback steps newest first', async ({ target, undone, steps }) => {
    const { repo, log, commits } = await migrated();
    const result = await phasegate(['rollback', target, '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain(`rolled back to phasegate/shop/${target}`);
    expect(repo.head()).toBe(commits[target as keyof typeof commits]);
    expect(treeOf(repo, 'HEAD')).toBe(treeOf(repo, `phasegate/shop/${target}`));
    expect(statusAll(repo)).toBe('');
    for (const id of undone) {
      expect(repo.tags()).not.toContain(`phasegate/shop/${id}`);
      expect(repo.git('rev-parse', `refs/phasegate/shop/undone/${id}`).trim()).toBe(commits[id as keyof typeof commits]);
    }
    expect(logLines(log)).toEqual(steps);
    // The next run picks up again after the target.
    const again = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(again.exitCode, again.all).toBe(0);
    expect(repo.tags()).toHaveLength(4);
  });

  it('--strategy revert adds revert commits instead of moving the branch, ending with the same tree', async () => {
    const { repo, log, commits } = await migrated();
    const result = await phasegate(['rollback', 'imports', '--yes', '--strategy', 'revert'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(treeOf(repo, 'HEAD')).toBe(treeOf(repo, 'phasegate/shop/imports'));
    expect(repo.git('merge-base', '--is-ancestor', commits.docs, 'HEAD')).toBe('');
    expect(repo.git('log', '--format=%s', `${commits.docs}..HEAD`).trim().split('\n')).toEqual([
      'Revert "shop: Rename send to deliver"', 'Revert "shop: Document the change"',
    ]);
    expect(repo.tags()).toEqual(['phasegate/shop/base', 'phasegate/shop/imports']);
    expect(logLines(log)).toEqual(['docs', 'sender-1', 'sender-2']);
  });

  it('refuses a dirty tree, listing the file, and leaves the change intact', async () => {
    const { repo, commits } = await migrated();
    repo.write('app/util.py', 'def helper():\n    return 0  # unsaved idea\n');
    const result = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('app/util.py');
    expect(repo.read('app/util.py')).toContain('unsaved idea');
    expect(repo.head()).toBe(commits.docs);
    expect(repo.tags()).toHaveLength(4);
  });

  it('commits made after the last tag are only discarded with --yes, and stay reachable', async () => {
    const { repo, commits } = await migrated();
    repo.write('app/extra.py', 'X = 1\n');
    const manual = repo.commitAll('manual fix');
    const refused = await phasegate(['rollback', 'sender'], { cwd: repo.dir });
    expect(refused.exitCode, refused.all).toBe(2);
    expect(refused.stderr).toContain('1 commit(s) made after the last phase tag');
    expect(repo.head()).toBe(manual);
    const done = await phasegate(['rollback', 'sender', '--yes'], { cwd: repo.dir });
    expect(done.exitCode, done.all).toBe(0);
    expect(repo.head()).toBe(commits.sender);
    const kept = repo.git('for-each-ref', '--format=%(objectname)', 'refs/phasegate/shop/undone/').split('\n');
    expect(kept).toContain(manual);
  });

  it('from another branch it acts on the migration branch; unknown targets are refused', async () => {
    const { repo, commits } = await migrated();
    repo.git('checkout', '-q', 'main');
    const result = await phasegate(['rollback', 'phasegate/shop/imports', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    // It switched to the migration branch for the rollback and back to main afterwards.
    expect(branchOf(repo)).toBe('main');
    expect(repo.git('rev-parse', 'refs/heads/phasegate/shop').trim()).toBe(commits.imports);
    const unknown = await phasegate(['rollback', 'docs', '--yes'], { cwd: repo.dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("phase 'docs' of plan 'shop' has no tag");
  });

  it('refuses a second concurrent run, naming the holder, and takes over a stale lock', async () => {
    const dir = tempDir();
    const started = path.join(dir, 'started');
    const slow = path.join(dir, 'slow');
    writeFileSync(slow, '');
    const repo = makeRepo({ ...projectFiles, 'plans/slow.yaml': `version: 1\nname: slow\nphases:\n  - id: wait\n    validate:\n      - run: if [ -e ${slow} ]; then echo $$ > ${started}; sleep 20; fi\n        timeout: 30s\n` });
    const { execa } = await import('execa');
    const first = execa(process.execPath, [path.resolve('dist/bin.js'), 'run', 'slow', '--yes'], { cwd: repo.dir, reject: false });
    // The check's shell writes its pid once it runs: the lock is held from then on.
    const checkPid = () => { try { return Number(readFileSync(started, 'utf8').trim()); } catch { return 0; } };
    for (let i = 0; i < 400 && !(checkPid() > 0); i++) await new Promise((r) => setTimeout(r, 50));
    onTestFinished(() => { killTree(checkPid()); killTree(first.pid); });
    expect(checkPid(), 'the first run did not reach its check within 20 s').toBeGreaterThan(0);
    const second = await phasegate(['run', 'slow', '--yes'], { cwd: repo.dir });
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain(`another phasegate is working in this repository: pid ${first.pid}`);
    // status only reads: it works beside the running process and says what that one is doing.
    const status = await phasegate(['status', 'slow'], { cwd: repo.dir });
    expect(status.exitCode, status.all).toBe(0);
    expect(status.stdout).toContain(`a phasegate process is running: pid ${first.pid} (run slow)`);
    expect(status.stdout).toMatch(/▶ wait +running \(checks\)/);
    first.kill('SIGKILL');
    await first;
    // The check ran in a process group of its own: SIGKILL to phasegate does not reach its sleep.
    killTree(checkPid());
    (await import('node:fs')).rmSync(slow);
    // The killed process left its lock (and journal) behind: the next run takes both over.
    const third = await phasegate(['run', 'slow', '--yes', '--from', 'wait'], { cwd: repo.dir });
    expect(third.stderr).toContain(`took over a lock left by pid ${first.pid}`);
    expect(third.exitCode, third.all).toBe(0);
  });

  it('takes over a lock file whose process is gone', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(repo.dir, '.git/phasegate'), { recursive: true });
    writeFileSync(path.join(repo.dir, '.git/phasegate/lock'), JSON.stringify({ pid: 999999, host: (await import('node:os')).hostname(), command: 'run shop', startedAt: '2026-01-01T00:00:00Z' }));
    const result = await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toContain('took over a lock left by pid 999999');
  });
});

describe('phasegate rollback and untracked files', () => {
  it('refuses to overwrite an untracked file whose path the target tracks, and leaves other untracked files alone', async () => {
    const { repo, commits } = await migrated();
    // Phase 1 renamed legacy/notify.py away; a new untracked file now sits at that path.
    repo.write('legacy/notify.py', 'my own draft\n');
    repo.write('scratch.txt', 'keep me\n');
    const refused = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(refused.exitCode, refused.all).toBe(2);
    expect(refused.stderr).toContain('would overwrite untracked or ignored file(s) where it tracks files: legacy/notify.py');
    expect(repo.read('legacy/notify.py')).toBe('my own draft\n');
    expect(repo.head()).toBe(commits.docs);

    (await import('node:fs')).rmSync(path.join(repo.dir, 'legacy/notify.py'));
    const done = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(done.exitCode, done.all).toBe(0);
    expect(repo.read('scratch.txt')).toBe('keep me\n');
    expect(repo.head()).toBe(commits.base);
  });
});
