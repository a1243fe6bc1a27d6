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
