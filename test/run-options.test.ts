import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { makeRepo, tempDir } from './helpers/repo.js';
import { snapshot } from './helpers/snapshot.js';
import { branchOf, tagCommit } from './helpers/git-reads.js';

describe('run options and safety rules', () => {
  it('--dry-run prints the diff and results and leaves refs, worktrees, index and files exactly as they were', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    repo.git('branch', 'feature');
    const before = snapshot(repo);
    const result = await phasegate(['run', 'shop', '--dry-run'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('-from legacy.notify import Notifier');
    expect(result.stdout).toContain('+from core.notify import Notifier');
    expect(result.stdout).toContain('dry run');
    expect(result.stdout).toMatch(/✔ imports +passed/);
    expect(snapshot(repo)).toEqual(before);
  });

  it('--dry-run --report names no tag or commit (none exists), and report merge reads it as a dry run', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    const out = tempDir();
    const result = await phasegate(['run', 'shop', '--dry-run', '--report', path.join(out, 'r.json')], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'r.json'), 'utf8')) as { dryRun: boolean; phases: { tag?: string; commit?: string }[] };
    expect(report.dryRun).toBe(true);
    expect(report.phases.map((phase) => [phase.tag, phase.commit])).toEqual(report.phases.map(() => [undefined, undefined]));
    expect(repo.tags()).toEqual([]);
    const merged = await phasegate(['report', 'merge', path.join(out, 'r.json'), '--json', path.join(out, 'fleet.json')], { cwd: repo.dir });
    expect(merged.exitCode, merged.all).toBe(0);
    const fleet = JSON.parse(readFileSync(path.join(out, 'fleet.json'), 'utf8')) as { rows: { result: string; phasesTagged: number }[] };
    expect(fleet.rows[0]).toMatchObject({ result: 'passed (dry run)', phasesTagged: 0 });
  });

  it('--dry-run of a failing phase exits 1 and still leaves everything untouched', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ breakPhaseTwo: true, rollbackLog: '/dev/null' }) });
    const before = snapshot(repo);
    const result = await phasegate(['run', 'shop', '--dry-run', '--report', path.join(tempDir(), 'r.json')], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toMatch(/✖ sender +failed/);
    // The failed phase's change is shown too, and no ref is named that only the removed clone had.
    expect(result.stdout).toContain("phase 'sender' failed");
    expect(result.stdout).toContain('-    n.send("order placed")');
    expect(result.stdout).toContain('+    n.deliver("order placed")');
    expect(result.all).not.toContain('refs/phasegate/shop/failed');
    expect(snapshot(repo)).toEqual(before);
  });

  it('uses --branch, the plan\'s branch, or phasegate/<plan>; --no-branch stays on the current branch', async () => {
    const named = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports', '--branch', 'migrate/x'], { cwd: named.dir })).exitCode).toBe(0);
    expect(branchOf(named)).toBe('migrate/x');

    const fromPlan = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan().replace('files:', 'branch: feature/shop\nfiles:') });
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: fromPlan.dir })).exitCode).toBe(0);
    expect(branchOf(fromPlan)).toBe('feature/shop');

    const current = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports', '--no-branch'], { cwd: current.dir })).exitCode).toBe(0);
    expect(branchOf(current)).toBe('main');
    expect(current.git('rev-parse', 'main').trim()).toBe(tagCommit(current, 'shop', 'imports'));
  });

  it('--from/--to bound the phases; a later run resumes on the existing branch from another branch', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    const first = await phasegate(['run', 'shop', '--yes', '--to', 'sender'], { cwd: repo.dir });
    expect(first.exitCode, first.all).toBe(0);
    expect(repo.tags()).toEqual(['phasegate/shop/base', 'phasegate/shop/imports', 'phasegate/shop/sender']);
    repo.git('checkout', '-q', 'main');
    const second = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(second.exitCode, second.all).toBe(0);
    expect(second.stdout).toContain('▶ docs');
    expect(second.stdout).not.toContain('▶ sender');
    expect(branchOf(repo)).toBe('phasegate/shop');
    const again = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('already tagged; nothing to do');
    const unknown = await phasegate(['run', 'shop', '--yes', '--from', 'nope'], { cwd: repo.dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('--from nope: no such phase (phases: imports, sender, docs)');
  });

  it('a failed preflight refuses the run (exit 2) before anything changes', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan().replace('phases:', "preflight:\n  - run: echo tests are red; exit 3\n  - forbid: 'Notifier'\nphases:") });
    const before = snapshot(repo);
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('preflight failed');
    expect(result.stderr).toContain('tests are red');
    expect(result.stderr).toContain('app/orders.py:1');
    expect(snapshot(repo)).toEqual(before);
  });

  it('started on main with --no-branch while the phases are on the migration branch: says where they are, never to reset main onto them', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir })).exitCode).toBe(0);
    repo.git('checkout', '-q', 'main');
    repo.write('other.txt', 'x\n');
    repo.commitAll('work on main');
    const before = snapshot(repo);
    const result = await phasegate(['run', 'shop', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('the phases so far are on branch phasegate/shop');
    expect(result.stderr).not.toContain('git reset --hard');
    expect(snapshot(repo)).toEqual(before);
  });

  it('--dry-run prints file names as written, not as octal escapes', async () => {
    const repo = makeRepo({ ...projectFiles, 'app/ünïcødé_файл.py': 'from legacy.notify import Notifier\n', 'plans/shop.yaml': threePhasePlan() });
    const result = await phasegate(['run', 'shop', '--dry-run', '--to', 'imports'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('app/ünïcødé_файл.py');
    expect(result.stdout).not.toContain('\\303');
  });

  it('refuses to resume when HEAD is not a descendant of the last checkpoint', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir })).exitCode).toBe(0);
    repo.git('reset', '-q', '--hard', 'main');
    repo.write('other.txt', 'x\n');
    repo.commitAll('unrelated');
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('not at the checkpoint phasegate/shop/imports');
  });

  it('stops when a completed phase was edited since its tag, and goes on when told with --from', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir })).exitCode).toBe(0);
    repo.write('plans/shop.yaml', threePhasePlan().replace("forbid: 'from legacy\\.notify'", "forbid: 'from legacy\\.notify\\b'"));
    repo.commitAll('tweak phase 1');
    const stopped = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(stopped.exitCode, stopped.all).toBe(2);
    expect(stopped.stderr).toContain("phase 'imports' changed in the plan since it was tagged");
    const goOn = await phasegate(['run', 'shop', '--yes', '--from', 'sender'], { cwd: repo.dir });
    expect(goOn.exitCode, goOn.all).toBe(0);
    expect(repo.tags()).toContain('phasegate/shop/docs');
  });

  it('stops, naming it, when a completed phase was edited and every phase is already tagged', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan() });
    expect((await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    repo.write('plans/shop.yaml', threePhasePlan().replace("forbid: 'from legacy\\.notify'", "forbid: 'from legacy\\.notify\\b'"));
    repo.commitAll('tweak phase 1');
    const before = snapshot(repo);
    const stopped = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(stopped.exitCode, stopped.all).toBe(2);
    expect(stopped.stderr).toContain("phase 'imports' changed in the plan since it was tagged");
    expect(stopped.stderr).toContain('phasegate rollback base');
    expect(snapshot(repo)).toEqual(before);
  });

  it('a new migration branch after a full rollback starts a new base: rollback base then keeps what main gained meanwhile', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }) });
    expect((await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    expect((await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    repo.git('checkout', '-q', 'main');
    repo.git('branch', '-D', 'phasegate/shop');
    repo.write('app/feature.py', 'def feature():\n    return 1\n');
    const start = repo.commitAll('a feature on main');
    const again = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(again.exitCode, again.all).toBe(0);
    expect(tagCommit(repo, 'shop', 'base')).toBe(start);
    const back = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(back.exitCode, back.all).toBe(0);
    expect(repo.head()).toBe(start);
    expect(repo.read('app/feature.py')).toContain('def feature');
  });

  it('refuses, from another branch, a plan that differs from the one committed on the migration branch', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ breakPhaseTwo: true, rollbackLog: '/dev/null' }) });
    expect((await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir })).exitCode).toBe(1);
    // The fix is committed on the migration branch, as the SPEC invites; main keeps the broken plan.
    repo.write('plans/shop.yaml', threePhasePlan({ rollbackLog: '/dev/null' }));
    repo.commitAll('fix phase 2');
    repo.git('checkout', '-q', 'main');
    const before = snapshot(repo);
    const refused = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(refused.exitCode, refused.all).toBe(2);
    expect(refused.stderr).toContain('plans/shop.yaml differs between branch main and the migration branch phasegate/shop');
    expect(snapshot(repo)).toEqual(before);

    repo.git('checkout', '-q', 'phasegate/shop');
    const resumed = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(repo.tags()).toContain('phasegate/shop/docs');
  });

  it('runs hooks with PHASEGATE_* variables; a failing before-phase hook stops the run', async () => {
    const log = path.join(tempDir(), 'events.log');
    const hooks = `hooks:\n  before-phase: ['echo "$PHASEGATE_EVENT $PHASEGATE_PHASE $PHASEGATE_STATUS" >> ${log}']\n  after-phase: ['echo "$PHASEGATE_EVENT $PHASEGATE_PHASE $PHASEGATE_TAG $PHASEGATE_STATUS" >> ${log}']\n  after-run: ['echo "$PHASEGATE_EVENT $PHASEGATE_PLAN $PHASEGATE_STATUS" >> ${log}']\n`;
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan().replace('phases:', `${hooks}phases:`) });
    expect((await phasegate(['run', 'shop', '--yes', '--to', 'imports'], { cwd: repo.dir })).exitCode).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('before-phase imports running\nafter-phase imports phasegate/shop/imports passed\nafter-run shop passed\n');

    const blocked = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan().replace('phases:', "hooks:\n  before-phase: ['echo not today; exit 1']\nphases:") });
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: blocked.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toContain("before-phase hook `echo not today; exit 1` failed: exited with status 1");
    expect(blocked.tags()).toEqual(['phasegate/shop/base']);
  });

  it('refuses to run outside a git repository', async () => {
    const dir = tempDir();
    const result = await phasegate(['run', 'x', '--yes'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('not inside a git repository');
  });
});
