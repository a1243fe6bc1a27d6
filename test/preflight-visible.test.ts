import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { projectFiles, threePhasePlan } from './helpers/plans.js';
import { makeRepo } from './helpers/repo.js';

const withPreflight = (commands: string[]) =>
  threePhasePlan({ rollbackLog: '/dev/null' }).replace('phases:', `preflight:\n${commands.map((c) => `  - run: ${JSON.stringify(c)}`).join('\n')}\nphases:`);

const reportArgs = ['--report', 'out/report.json', '--summary', 'out/summary.md', '--junit', 'out/junit.xml'];

describe('preflight is visible', () => {
  it('each preflight command shows with its duration, and the reports include them', async () => {
    const repo = makeRepo({ ...projectFiles, '.gitignore': 'out/\n', 'plans/shop.yaml': withPreflight(['echo first-check', 'sleep 0.3; echo second-check']) });
    const result = await phasegate(['run', 'shop', '--yes', '--to', 'imports', ...reportArgs], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/preflight/);
    expect(result.stdout).toMatch(/✔ .*echo first-check.*\(\d[\d.]*\s*m?s\)/);
    expect(result.stdout).toMatch(/✔ .*sleep 0\.3; echo second-check.*\(\d[\d.]*\s*m?s\)/);
    // Preflight comes before the first phase.
    expect(result.stdout.indexOf('first-check')).toBeLessThan(result.stdout.indexOf('imports'));

    const report = JSON.parse(readFileSync(path.join(repo.dir, 'out/report.json'), 'utf8'));
    expect(report.preflight.passed).toBe(true);
    expect(report.preflight.checks).toHaveLength(2);
    expect(report.preflight.checks[0]).toMatchObject({ name: 'run echo first-check', command: 'echo first-check', passed: true });
    expect(report.preflight.checks[1].durationMs).toBeGreaterThanOrEqual(250);
    expect(report.preflight.checks[1].outputTail).toContain('second-check');
    const summary = readFileSync(path.join(repo.dir, 'out/summary.md'), 'utf8');
    expect(summary).toMatch(/Preflight/);
    expect(summary).toContain('sleep 0.3; echo second-check');
    const junit = readFileSync(path.join(repo.dir, 'out/junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="preflight" tests="2" failures="0"/);
    expect(junit).toContain('name="run echo first-check"');
  });

  it('a failing preflight still writes the reports: result refused, the failing command and its output', async () => {
    const repo = makeRepo({ ...projectFiles, '.gitignore': 'out/\n', 'plans/shop.yaml': withPreflight(['echo fine', 'echo tests are red; exit 3']) });
    const result = await phasegate(['run', 'shop', '--yes', ...reportArgs], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stdout).toMatch(/✖ .*echo tests are red; exit 3/);
    expect(repo.tags()).toEqual([]);

    const report = JSON.parse(readFileSync(path.join(repo.dir, 'out/report.json'), 'utf8'));
    expect(report.result).toBe('refused');
    expect(report.exitCode).toBe(2);
    expect(report.preflight.passed).toBe(false);
    const failing = report.preflight.checks.find((check: { passed: boolean }) => !check.passed);
    expect(failing.command).toBe('echo tests are red; exit 3');
    expect(failing.outputTail).toContain('tests are red');
    expect(readFileSync(path.join(repo.dir, 'out/summary.md'), 'utf8')).toContain('echo tests are red; exit 3');
    expect(readFileSync(path.join(repo.dir, 'out/junit.xml'), 'utf8')).toMatch(/<testsuite name="preflight" tests="2" failures="1"/);
  });
});
