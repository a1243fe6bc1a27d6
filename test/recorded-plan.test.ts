import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { logLines, tagCommit } from './helpers/git-reads.js';
import { makeRepo, tempDir } from './helpers/repo.js';

/**
 * A plan kept outside the repository: the tags record the plan text each phase ran with, and
 * rollback, status and rehearse use it when no plan is given, whatever became of the file.
 */
async function runWithOutsidePlan(args: string[] = []) {
  const outside = tempDir();
  const log = path.join(outside, 'rollback.log');
  const planFile = path.join(outside, 'shop.yaml');
  writeFileSync(planFile, threePhasePlan({ rollbackLog: log }));
  const repo = makeRepo(projectFiles);
  const run = await phasegate(['run', planFile, '--yes', ...args], { cwd: repo.dir });
  expect(run.exitCode, run.all).toBe(0);
  return { repo, log, planFile };
}


describe('the plan that ran is the plan that rolls back', () => {
  it('rollback without --plan runs the rollback steps recorded in the tags, and says the plan file changed', async () => {
    const { repo, log, planFile } = await runWithOutsidePlan();
    const base = tagCommit(repo, 'shop', 'base');
    // The file is edited after the run: its rollback steps are no longer the ones that ran.
    writeFileSync(planFile, threePhasePlan({ rollbackLog: log }).replace(/echo (imports|sender-1|sender-2|docs) >>/g, 'echo edited-$1 >>'));

    const result = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.head()).toBe(base);
    expect(logLines(log)).toEqual(['docs', 'sender-1', 'sender-2', 'imports']);
    expect(result.stderr).toMatch(/shop\.yaml.* changed since/);
    expect(result.stderr).not.toContain('without the phases\' rollback steps');
  });

  it('--plan still overrides the recorded plan', async () => {
    const { repo, log, planFile } = await runWithOutsidePlan(['--to', 'imports']);
    writeFileSync(planFile, threePhasePlan({ rollbackLog: log }).replace('echo imports >>', 'echo edited-imports >>'));
    const result = await phasegate(['rollback', 'base', '--yes', '--plan', planFile], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(logLines(log)).toEqual(['edited-imports']);
  });

  it('with the plan file gone: status shows every phase from the recorded plan, rollback runs the recorded steps', async () => {
    const { repo, log, planFile } = await runWithOutsidePlan(['--to', 'sender']);
    rmSync(planFile);

    const text = await phasegate(['status'], { cwd: repo.dir });
    expect(text.exitCode, text.all).toBe(0);
    expect(text.stdout).not.toContain('plan not found');
    expect(text.stdout).toContain('recorded');
    expect(text.stdout).toMatch(/✔ imports +phasegate\/shop\/imports/);
    expect(text.stdout).toContain('next: docs');

    const json = JSON.parse((await phasegate(['status', 'shop', '--json'], { cwd: repo.dir })).stdout);
    expect(json.next).toBe('docs');
    expect(json.phases.map((p: { id: string; title: string; tagged: boolean }) => [p.id, p.title, p.tagged])).toEqual([
      ['imports', 'Canonical imports', true], ['sender', 'Rename send to deliver', true], ['docs', 'Document the change', false],
    ]);

    const rollback = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(rollback.exitCode, rollback.all).toBe(0);
    expect(logLines(log)).toEqual(['sender-1', 'sender-2', 'imports']);
    expect(rollback.stdout).toContain('Rename send to deliver');
  });

  it('rehearse without a plan rehearses the recorded one', async () => {
    const { repo, planFile } = await runWithOutsidePlan(['--to', 'imports']);
    rmSync(planFile);
    const result = await phasegate(['rehearse'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain('rehearsal passed');
    expect(result.stdout).toMatch(/✔ docs: same result twice/);
  });
});

/** A plan committed in the repository, whose own text holds the pattern it rewrites (as a real plan's does). */
function repoWithCommittedPlan() {
  const plan = [
    'version: 1', 'name: p', 'title: P', 'phases:', '  - id: one', '    title: One', '    transform:',
    "      - replace: 'old_call'", "        with: 'new_call'", '    validate:', "      - forbid: 'old_call'", '',
  ].join('\n');
  return makeRepo({ 'a.py': 'old_call(1)\n', 'plans/p.yaml': plan });
}

describe('verify and sync without a plan use the recorded one', () => {
  it('verify and sync with no plan argument do what they do with the plan named, the plan file kept out of their scope', async () => {
    const repo = repoWithCommittedPlan();
    const run = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);

    const verify = await phasegate(['verify'], { cwd: repo.dir });
    expect(verify.exitCode, verify.all).toBe(0);
    expect(verify.stdout).toMatch(/^verify p at HEAD .*all checks hold/);
    expect(verify.stdout).toContain('✔ forbid /old_call/ — no matches');

    repo.git('checkout', '-q', 'main');
    repo.write('c.py', 'y = old_call(3)\n');
    repo.commitAll('main moves');
    repo.git('checkout', '-q', 'phasegate/p');
    const sync = await phasegate(['sync', '--yes'], { cwd: repo.dir });
    expect(sync.exitCode, sync.all).toBe(0);
    expect(sync.stdout).toMatch(/more\s+one — also changes files new on main: c\.py$/m);
    expect(repo.read('c.py')).toBe('y = new_call(3)\n');
    // The plan file is never in the scope of a step: the replay left it as it was.
    expect(repo.read('plans/p.yaml')).toContain("replace: 'old_call'");
  });

  it('several plans with tags: verify and sync without a plan refuse (exit 2) and ask for one', async () => {
    const repo = repoWithCommittedPlan();
    repo.write('plans/q.yaml', repo.read('plans/p.yaml').replace('name: p', 'name: q').replace(/old_call/g, 'other_call'));
    repo.commitAll('second plan');
    expect((await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir })).exitCode).toBe(0);
    expect((await phasegate(['run', 'q', '--yes', '--no-branch'], { cwd: repo.dir })).exitCode).toBe(0);
    for (const command of ['verify', 'sync']) {
      const result = await phasegate(command === 'sync' ? ['sync', '--yes'] : ['verify'], { cwd: repo.dir });
      expect(result.exitCode, result.all).toBe(2);
      expect(result.stderr).toContain('several plans have tags in this repository (p, q): name one');
    }
  });
});
