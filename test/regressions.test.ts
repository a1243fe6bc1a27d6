import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { branchOf, tagCommit } from './helpers/git-reads.js';
import { threePhasePlan } from './helpers/plans.js';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';
import { shopRepo } from './helpers/shop.js';

/**
 * Regressions the rest of the suite let through (issue 11, item 17): each deliberate bug, made
 * alone in src/, passed every other test. Each test here fails with its bug and passes without it.
 */
const journalFile = (repo: TestRepo) => path.join(repo.dir, '.git', 'phasegate', 'journal.json');

describe('regressions', () => {
  it('resume starts at the first untagged phase, even when a later phase is tagged', async () => {
    const repo = shopRepo();
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir })).exitCode).toBe(0);
    const docsOnly = await phasegate(['run', 'shop', '--yes', '--from', 'docs'], { cwd: repo.dir });
    expect(docsOnly.exitCode, docsOnly.all).toBe(0);
    expect(repo.tags()).toEqual(['phasegate/shop/base', 'phasegate/shop/docs', 'phasegate/shop/imports']);

    const resumed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(resumed.stdout).toContain('▶ sender');
    expect(repo.tags()).toContain('phasegate/shop/sender');
    expect(repo.read('app/orders.py')).toContain('n.deliver("order placed")');
  });

  it('a crash after the tag was written but before the journal was cleared keeps the passed phase', async () => {
    const repo = shopRepo();
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'sender'], { cwd: repo.dir })).exitCode).toBe(0);
    // A real crash at the tag stage gives the journal exactly as phasegate writes it ...
    const killed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir, env: { PHASEGATE_FAILPOINT: 'before-tag' } });
    expect(killed.exitCode, killed.all).toBe(-1);
    const journal = JSON.parse(readFileSync(journalFile(repo), 'utf8'));
    expect(journal).toMatchObject({ operation: 'run', phase: 'docs', stage: 'tag' });
    // ... then the phase is finished for real, and the journal put back as if the process had died
    // between writing the tag and clearing the journal (no failpoint exists in that gap).
    expect((await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    const docs = tagCommit(repo, 'shop', 'docs');
    expect(repo.head()).toBe(docs);
    writeFileSync(journalFile(repo), JSON.stringify({ ...journal, phaseCommit: docs }, null, 2));

    const status = await phasegate(['status', 'shop'], { cwd: repo.dir });
    expect(status.stdout).toContain("phase 'docs' of plan 'shop' was interrupted");
    const recovered = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(repo.head(), recovered.all).toBe(docs);
    expect(repo.read('README.md')).toContain('Notifications go through core.notify.');
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(recovered.exitCode, recovered.all).toBe(0);
    expect(recovered.all).toContain('the phase is complete');
  });

  it('rollback fails loudly when the working tree cannot be made equal to the target', async () => {
    // A phase that leaves a nested repository behind: reset takes its gitlink away, but `git clean`
    // will not remove a repository, so the tree after the rollback is not the base's.
    const nested = "mkdir -p vendor/sub && cd vendor/sub && git init -q && echo x > f && git add f && git -c user.name=t -c user.email=t@t commit -qm x";
    const plan = `version: 1
name: shop
phases:
  - id: vendor
    transform:
      - run: ${JSON.stringify(nested)}
    validate:
      - run: test -d vendor/sub/.git
`;
    const repo = shopRepo(plan);
    const ran = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(ran.exitCode, ran.all).toBe(0);
    const rolled = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(rolled.exitCode, rolled.all).not.toBe(0);
    expect(rolled.stderr).toContain('after the rollback the tree does not equal phasegate/shop/base');
    expect(rolled.stderr).toContain('vendor/sub');
  });

  it('rehearse fails when a rollback step changes the committed tree', async () => {
    const commitsFile = "echo extra > extra.txt && git add extra.txt && git -c user.name=t -c user.email=t@t commit -qm extra";
    const plan = threePhasePlan({ rollbackLog: '/dev/null' }).replace('      - run: echo docs >> "/dev/null"', `      - run: ${JSON.stringify(commitsFile)}`);
    const repo = shopRepo(plan);
    const result = await phasegate(['rehearse', 'shop'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toContain('after rolling back to base the tree differs from the start');
  });

  it('rehearse fails when a rollback step succeeds but leaves a file behind', async () => {
    const plan = threePhasePlan({ rollbackLog: '/dev/null' }).replace('      - run: echo docs >> "/dev/null"', '      - run: echo left > leftover.txt');
    const repo = shopRepo(plan);
    const result = await phasegate(['rehearse', 'shop'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toContain('rolling back left files behind');
    expect(result.stdout).toContain('leftover.txt');
  });

  it('--dry-run from main starts from the migration branch when it exists', async () => {
    const repo = shopRepo();
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir })).exitCode).toBe(0);
    repo.git('checkout', '-q', 'main');
    const before = repo.refs().map((ref) => `${ref} ${repo.git('rev-parse', ref).trim()}`);
    const dry = await phasegate(['run', 'shop', '--dry-run'], { cwd: repo.dir });
    expect(dry.exitCode, dry.all).toBe(0);
    expect(dry.all).toContain('from branch phasegate/shop');
    expect(dry.stdout).toContain('+    n.deliver("order placed")');
    expect(dry.stdout).toMatch(/✔ sender +passed/);
    expect(branchOf(repo)).toBe('main');
    expect(repo.refs().map((ref) => `${ref} ${repo.git('rev-parse', ref).trim()}`)).toEqual(before);
  });

  it('the score is not rounded to a whole number: 7 of 8 is 87.5 %, below a threshold of 88', async () => {
    const checks = Array.from({ length: 7 }, (_, index) => `      - require: 'gamma'\n        name: ok-${index}\n`).join('') +
      "      - forbid: 'beta'\n        name: still-beta\n";
    const plan = (threshold: number) => `version: 1\nname: p\nphases:\n  - id: one\n    transform:\n      - replace: 'alpha'\n        with: 'gamma'\n` +
      `    validate:\n${checks}      - score: ${threshold}\n`;
    const files = { 'src/a.txt': 'alpha\nbeta\n' };
    const reportFile = path.join(tempDir(), 'r.json');

    const below = makeRepo({ ...files, 'plans/p.yaml': plan(88) });
    const failed = await phasegate(['run', 'p', '--yes', '--report', reportFile], { cwd: below.dir });
    expect(failed.exitCode, failed.all).toBe(1);
    expect(JSON.parse(readFileSync(reportFile, 'utf8')).phases[0]).toMatchObject({ status: 'failed', score: 87.5, threshold: 88 });
    expect(failed.stdout).toContain('score 87.5% (threshold 88%) is below the threshold');

    const exact = makeRepo({ ...files, 'plans/p.yaml': plan(87.5) });
    const passed = await phasegate(['run', 'p', '--yes', '--report', reportFile], { cwd: exact.dir });
    expect(passed.exitCode, passed.all).toBe(0);
    expect(JSON.parse(readFileSync(reportFile, 'utf8')).phases[0]).toMatchObject({ status: 'passed', score: 87.5, threshold: 87.5 });
  });
});
