import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SSOT_PLAN } from '../examples/lib/example-repo.mjs';
import { phasegate } from './helpers/cli.js';
import { fleetRepository, type Breaks } from './helpers/fleet.js';
import { tempDir } from './helpers/repo.js';

/**
 * The bundled plan over a generated fleet of five repositories, a plain loop standing in for a
 * CI matrix: each run writes its --report and --pr-body; `report merge` makes one table of them.
 */
const TIMEOUT = 400_000;
const FLEET: { name: string; breaks?: Breaks }[] = [
  { name: 'billing' }, { name: 'checkout', breaks: 'interface' }, { name: 'gateway' },
  { name: 'notifications', breaks: 'factory-pattern' }, { name: 'search' },
];

describe('one plan over a fleet of repositories', () => {
  it('runs each repository, tells changed / nothing to do / failed apart, and merges the reports into one table', async () => {
    const parent = tempDir('phasegate-fleet-');
    const out = path.join(parent, 'reports');
    const dirs = Object.fromEntries(FLEET.map(({ name, breaks }) => [name, fleetRepository(parent, name, breaks)]));

    // 'search' was migrated by an earlier run of the fleet: this time it has nothing to do.
    const earlier = await phasegate(['run', SSOT_PLAN, '--yes'], { cwd: dirs.search, timeout: TIMEOUT });
    expect(earlier.exitCode, earlier.all).toBe(0);

    // The matrix: every repository at once, each with its report and pull-request text.
    const runs = await Promise.all(FLEET.map(async ({ name }) => {
      const args = ['run', SSOT_PLAN, '--yes', '--report', path.join(out, `${name}.json`), '--pr-body', path.join(out, `${name}.md`)];
      return [name, await phasegate(args, { cwd: dirs[name], timeout: TIMEOUT })] as const;
    }));
    const exit = Object.fromEntries(runs.map(([name, result]) => [name, result.exitCode]));
    expect(exit, runs.map(([name, result]) => `${name}:\n${result.all}`).join('\n')).toEqual({ billing: 0, checkout: 1, gateway: 0, notifications: 1, search: 0 });

    // Exit 0 twice, told apart by the report: 'changed' says whether this run tagged anything.
    const report = (name: string) => JSON.parse(readFileSync(path.join(out, `${name}.json`), 'utf8'));
    expect([report('billing').result, report('billing').changed]).toEqual(['passed', true]);
    expect([report('search').result, report('search').changed]).toEqual(['passed', false]);
    expect([report('checkout').result, report('checkout').changed]).toEqual(['failed', true]);
    expect(report('search').phases.map((phase: { status: string }) => phase.status)).toEqual(['passed', 'passed', 'passed']);

    const json = path.join(parent, 'fleet.json');
    const markdown = path.join(parent, 'fleet.md');
    const merged = await phasegate(['report', 'merge', ...FLEET.map(({ name }) => path.join(out, `${name}.json`)), '--json', json, '--markdown', markdown], { cwd: parent });
    expect(merged.exitCode, merged.all).toBe(0);

    // Failures first (then by name), each with the phase it failed in and why; totals at the end.
    const rows = merged.stdout.split('\n').slice(2, 7);
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(['checkout', 'notifications', 'billing', 'gateway', 'search']);
    expect(rows[0]).toMatch(/^checkout\s+migrate\/websocket-notifier-ssot\s+factory-pattern \(2\/3\)\s+\S+%\s+failed\s+interface\s+\S/);
    expect(rows[1]).toMatch(/^notifications\s+migrate\/websocket-notifier-ssot\s+foundation \(1\/3\)\s+\S+%\s+failed\s+factory-pattern\s+\S/);
    expect(rows[2]).toMatch(/^billing\s+migrate\/websocket-notifier-ssot\s+interface \(3\/3\)\s+90\.9%\s+passed\s+—\s+—/);
    expect(rows[4]).toMatch(/^search\s+.*interface \(3\/3\)\s+90\.9%\s+passed \(nothing to do\)/);
    expect(merged.stdout).toContain('totals: 5 repositories: 2 failed, 3 passed (1 with nothing to do)');
    expect(merged.stdout).not.toContain('different plan versions');

    const fleet = JSON.parse(readFileSync(json, 'utf8'));
    expect(fleet.totals).toMatchObject({ repositories: 5, failed: 2, passed: 3, 'nothing to do': 1 });
    expect(fleet.rows.map((row: { repository: string; failedPhase: string | null }) => [row.repository, row.failedPhase])).toEqual([
      ['checkout', 'interface'], ['notifications', 'factory-pattern'], ['billing', null], ['gateway', null], ['search', null],
    ]);
    expect(fleet.mixedPlans).toBe(false);
    const table = readFileSync(markdown, 'utf8');
    expect(table).toContain('| repository | branch | phase reached | score | result | failed phase | reason | duration |');
    expect(table.indexOf('| checkout |')).toBeLessThan(table.indexOf('| billing |'));

    // The pull-request text of a passing repository: every phase, its tag, and how to roll back.
    const body = readFileSync(path.join(out, 'billing.md'), 'utf8');
    expect(body).toMatch(/^# WebSocketNotifier SSOT remediation\n/);
    for (const phase of ['foundation', 'factory-pattern', 'interface']) {
      expect(body).toMatch(new RegExp(`^## \\d\\. .*\\(\`${phase}\`\\)$`, 'm'));
      expect(body).toContain(`\`phasegate/${SSOT_PLAN}/${phase}\``);
      expect(body).toMatch(new RegExp(`^phasegate rollback ${phase}\\b`, 'm'));
    }
    expect(body).toMatch(/^phasegate rollback base\b/m);
    expect(body).toContain(`phasegate verify plans/${SSOT_PLAN}.yaml`);
    expect(body).toMatch(/score 90\.9% \(needs 85%\)/);
  }, TIMEOUT);
});
