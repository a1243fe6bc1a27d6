import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { makeRepo, tempDir } from './helpers/repo.js';

/** `report merge` edge cases and the run's side of it: refused runs, plan versions, --pr-body paths. */
describe('phasegate report merge', () => {
  it('refuses a file that is not a run report, naming it (exit 2)', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'broken.json'), '{"plan": ');
    writeFileSync(path.join(dir, 'other.json'), '{"name": "package"}\n');
    for (const file of ['broken.json', 'other.json', 'missing.json']) {
      const result = await phasegate(['report', 'merge', file], { cwd: dir });
      expect(result.exitCode, result.all).toBe(2);
      expect(result.stderr).toContain(`phasegate: ${file}: `);
      expect(result.stdout).toBe('');
    }
    const usage = await phasegate(['report', 'merge'], { cwd: dir });
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toContain('missing <report.json>');
  });

  it('a refused run still writes its report, and the merged table counts it; a different plan version is flagged', async () => {
    const reports = tempDir();
    const passing = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }) });
    const edited = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }).replace('Document the change', 'Document it') });
    const dirty = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }) });
    dirty.write('app/util.py', 'def helper():\n    return 43\n');

    const runs = [['passing', passing.dir], ['edited', edited.dir], ['dirty', dirty.dir]] as const;
    const exits: number[] = [];
    for (const [name, cwd] of runs) exits.push((await phasegate(['run', 'shop', '--yes', '--report', path.join(reports, `${name}.json`)], { cwd })).exitCode);
    expect(exits).toEqual([0, 0, 2]);
    const refused = JSON.parse(readFileSync(path.join(reports, 'dirty.json'), 'utf8'));
    expect(refused).toMatchObject({ plan: 'shop', result: 'refused', exitCode: 2, changed: false, phases: [] });
    expect(refused.message).toContain('app/util.py');

    const merged = await phasegate(['report', 'merge', 'passing.json', 'edited.json', 'dirty.json'], { cwd: reports });
    expect(merged.exitCode, merged.all).toBe(0);
    const rows = merged.stdout.split('\n').slice(2, 5);
    expect(rows[0]).toMatch(/refused\s+—\s+.*uncommitted/);
    expect(rows[1]).toMatch(/docs \(3\/3\)\s+100%\s+passed\s/);
    expect(merged.stdout).toContain('totals: 3 repositories: 1 refused, 2 passed');
    // Every run read the plan (the refused one too, before it found the dirty tree): two versions.
    expect(merged.stdout).toContain('warning: the reports ran 2 different plan versions:');
    expect(refused.planHash).toBe(JSON.parse(readFileSync(path.join(reports, 'passing.json'), 'utf8')).planHash);
    const hashes = ['passing', 'edited'].map((name) => JSON.parse(readFileSync(path.join(reports, `${name}.json`), 'utf8')).planHash);
    expect(hashes[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(hashes[1]).not.toBe(hashes[0]);
    const firstVersion = merged.stdout.split('\n').find((line) => line.includes(`shop @ ${hashes[0]}:`)) ?? '';
    expect(firstVersion).toContain(path.basename(passing.dir));
    expect(firstVersion).toContain(path.basename(dirty.dir));
    expect(merged.stdout).toContain(`shop @ ${hashes[1]}: ${path.basename(edited.dir)}`);
  });

  it('the same plan text in two repositories is one version, whatever its comments', async () => {
    const reports = tempDir();
    const one = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }) });
    const two = makeRepo({ ...projectFiles, 'plans/shop.yaml': `# our copy\n${threePhasePlan({ rollbackLog: '/dev/null' })}` });
    for (const [name, repo] of [['one', one], ['two', two]] as const) {
      const result = await phasegate(['run', 'shop', '--yes', '--to', 'imports', '--report', path.join(reports, `${name}.json`)], { cwd: repo.dir });
      expect(result.exitCode, result.all).toBe(0);
    }
    const merged = await phasegate(['report', 'merge', 'one.json', 'two.json', '--markdown', 'fleet.md'], { cwd: reports });
    expect(merged.exitCode, merged.all).toBe(0);
    expect(merged.stdout).not.toContain('different plan versions');
    expect(merged.stdout).toMatch(/imports \(1\/3\)\s+100%\s+passed/);
    expect(readFileSync(path.join(reports, 'fleet.md'), 'utf8')).toContain('**2 repositories: 2 passed**');
  });
});

describe('phasegate run --pr-body', () => {
  it('refuses a path git tracks, before anything runs', async () => {
    const repo = makeRepo({ ...projectFiles, 'plans/shop.yaml': threePhasePlan({ rollbackLog: '/dev/null' }) });
    const before = repo.refs();
    const result = await phasegate(['run', 'shop', '--yes', '--pr-body', 'README.md'], { cwd: repo.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--pr-body README.md: git tracks that file');
    expect(repo.read('README.md')).toBe('# Shop\n');
    expect(repo.refs()).toEqual(before);
  });
});
