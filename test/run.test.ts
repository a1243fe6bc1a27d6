import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { makeRepo, tempDir } from './helpers/repo.js';
import { branchOf, statusAll, tagCommit } from './helpers/git-reads.js';

/** `phasegate run --yes`: phases checkpointed in git, a failed phase reverted, resume from tags. */
describe('an unattended run', () => {
  it('passes a three-phase plan: base + three tags, three commits with trailers, migrated files', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    const start = repo.head();
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);

    expect(repo.tags()).toEqual(['phasegate/shop/base', 'phasegate/shop/docs', 'phasegate/shop/imports', 'phasegate/shop/sender']);
    expect(tagCommit(repo, 'shop', 'base')).toBe(start);
    expect(branchOf(repo)).toBe('phasegate/shop');
    expect(repo.git('rev-parse', 'main').trim()).toBe(start);
    const log = repo.git('log', '--format=%s%n%(trailers:key=Phasegate-Phase,valueonly)', `${start}..HEAD`);
    expect(log.split('\n').filter(Boolean)).toEqual([
      'shop: Document the change', 'docs', 'shop: Rename send to deliver', 'sender', 'shop: Canonical imports', 'imports',
    ]);
    for (const id of ['imports', 'sender', 'docs']) {
      expect(tagCommit(repo, 'shop', id)).toBe(repo.git('log', '-1', '--format=%H', `--grep=Phasegate-Phase: ${id}`).trim());
      expect(repo.git('cat-file', '-t', `phasegate/shop/${id}`).trim()).toBe('tag');
      // The tag's message: a summary line, then the phase's results as JSON.
      const message = repo.git('for-each-ref', '--format=%(contents)', `refs/tags/phasegate/shop/${id}`);
      const record = JSON.parse(message.slice(message.indexOf('\n{') + 1));
      expect(record).toMatchObject({ plan: 'shop', phase: id, score: 100, hash: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect(record.durations.totalMs).toBeGreaterThan(0);
      expect(record.checks.length).toBeGreaterThan(0);
    }
    expect(repo.read('app/orders.py')).toBe('from core.notify import Notifier\n\ndef place(order):\n    n = Notifier()\n    n.deliver("order placed")\n');
    expect(repo.read('core/notify.py')).toContain('def deliver(self, text):');
    expect(repo.exists('legacy/notify.py')).toBe(false);
    expect(repo.read('README.md')).toBe('# Shop\n\nNotifications go through core.notify.\n');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('reverts a phase whose check fails, keeps the failed commit, runs rollback steps, and resumes after a fix', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ breakPhaseTwo: true, rollbackLog: '/dev/null' }) });
    const logFile = path.join(tempDir(), 'rollback.log');
    repo.write('plans/shop.yaml', threePhasePlan({ breakPhaseTwo: true, rollbackLog: logFile }));
    repo.commitAll('plan');
    const failed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(failed.exitCode, failed.all).toBe(1);
    expect(failed.stdout).toContain("phase 'sender' failed");
    expect(failed.stdout).toMatch(/core\/notify\.py:2: +def deliver/);

    const imports = tagCommit(repo, 'shop', 'imports');
    expect(repo.head()).toBe(imports);
    expect(statusAll(repo)).toBe('');
    expect(repo.tags()).not.toContain('phasegate/shop/sender');
    const failedRef = repo.git('rev-parse', 'refs/phasegate/shop/failed/sender').trim();
    expect(repo.git('log', '-1', '--format=%B', failedRef)).toContain('Phasegate-Phase: sender');
    expect(repo.git('show', `${failedRef}:app/orders.py`)).toContain('.deliver(');
    expect(readFileSync(logFile, 'utf8')).toBe('sender-1\nsender-2\n');
    expect(repo.read('app/orders.py')).toContain('n.send("order placed")');

    // The fix is committed on the migration branch, on top of phase 1's tag; the run resumes there.
    repo.write('plans/shop.yaml', threePhasePlan({ rollbackLog: logFile }));
    repo.commitAll('fix the plan: one deliver() definition is expected');
    const fixCommit = repo.head();
    const resumed = await phasegate(['run', 'shop', '--yes', '--report', 'report.json'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(resumed.stdout).not.toContain('▶ imports');
    expect(resumed.stdout).toContain('▶ sender');
    expect(tagCommit(repo, 'shop', 'imports')).toBe(imports);
    expect(repo.git('rev-parse', 'phasegate/shop/sender^{commit}~1').trim()).toBe(fixCommit);
    expect(repo.tags()).toContain('phasegate/shop/docs');
    const report = JSON.parse(repo.read('report.json'));
    expect(report.phases.map((p: { id: string; status: string; earlierRun?: boolean }) => [p.id, p.status, Boolean(p.earlierRun)])).toEqual([
      ['imports', 'passed', true], ['sender', 'passed', false], ['docs', 'passed', false],
    ]);
  });

  it('refuses a dirty tree, listing the files, and leaves the change intact', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    repo.write('app/util.py', 'def helper():\n    return 43  # work in progress\n');
    const before = repo.refs();
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('uncommitted changes');
    expect(result.stderr).toContain('app/util.py');
    expect(repo.read('app/util.py')).toContain('return 43  # work in progress');
    expect(repo.refs()).toEqual(before);
  });

  it('leaves untracked files alone: never committed into a phase, never removed by a revert', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ breakPhaseTwo: true, rollbackLog: '/dev/null' }) });
    repo.write('notes.txt', 'my notes\n');
    repo.write('app/scratch.py', 'from legacy.notify import Notifier\n');
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(repo.read('notes.txt')).toBe('my notes\n');
    expect(repo.read('app/scratch.py')).toBe('from legacy.notify import Notifier\n');
    expect(repo.git('show', '--name-only', '--format=', 'phasegate/shop/imports')).not.toContain('notes.txt');
    expect(repo.git('status', '--porcelain')).toBe('?? app/scratch.py\n?? notes.txt\n');
  });

  it('runs a plan kept outside the repository and a plan file that is not committed', async () => {
    const repo = makeRepo(projectFiles);
    const outside = path.join(tempDir(), 'shop.yaml');
    repo.write('plans/shop.yaml', threePhasePlan());
    const planText = repo.read('plans/shop.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(outside, planText);
    const result = await phasegate(['run', outside, '--yes', '--to', 'imports'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.tags()).toEqual(['phasegate/shop/base', 'phasegate/shop/imports']);
    // The uncommitted plans/shop.yaml was neither committed nor touched by the transform.
    expect(repo.git('show', '--name-only', '--format=', 'phasegate/shop/imports')).not.toContain('plans/shop.yaml');
    expect(repo.read('plans/shop.yaml')).toBe(planText);
    const rest = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(rest.exitCode, rest.all).toBe(0);
    expect(repo.tags()).toHaveLength(4);
    expect(repo.read('plans/shop.yaml')).toBe(planText);
  });
});

describe('an unattended run on a bare CI machine', () => {
  it('checkpoints even when git has no user identity configured', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    repo.git('config', '--unset', 'user.name');
    repo.git('config', '--unset', 'user.email');
    const home = tempDir();
    const result = await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir, env: { HOME: home, XDG_CONFIG_HOME: home, CI: 'true' } });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.git('log', '-1', '--format=%an <%ae>', 'phasegate/shop/imports').trim()).toBe('phasegate <phasegate@localhost>');
  });
});

describe('an unattended run started from an unusual environment', () => {
  it('ignores inherited GIT_* variables, editors and pagers, and still reverts a failed phase', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ breakPhaseTwo: true, rollbackLog: '/dev/null' }) });
    const env = { GIT_DIR: '/nonexistent', GIT_INDEX_FILE: '/nonexistent/index', GIT_SSL_CAINFO: '/nonexistent/ca.crt', EDITOR: 'false', GIT_PAGER: 'false' };
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir, env });
    expect(result.exitCode, result.all).toBe(1);
    expect(repo.head()).toBe(tagCommit(repo, 'shop', 'imports'));
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.refs()).toContain('refs/phasegate/shop/failed/sender');
  });

  it('a signing set-up git cannot use is refused in one readable line with a way out, before anything changes', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }) });
    const start = repo.head();
    repo.git('config', 'commit.gpgsign', 'true');
    repo.git('config', 'gpg.program', 'false');
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('git config commit.gpgsign false');
    expect(repo.head()).toBe(start);
    expect(branchOf(repo)).toBe('main');
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.tags()).toEqual([]);
  });
});
