import { describe, expect, it } from 'vitest';
import { parseCLI } from '../src/cli.js';
import { buildFleet, type FleetRow } from '../src/report/fleet.js';

describe('parseCLI: report merge and --pr-body', () => {
  it.each([
    [['report', 'merge', 'a.json', 'b.json'], { name: 'report-merge', reports: ['a.json', 'b.json'] }],
    [['report', 'merge', 'a.json', '--markdown', 'f.md', '--json', 'f.json'], { name: 'report-merge', markdown: 'f.md', json: 'f.json' }],
    [['run', 'p', '--pr-body', 'pr.md'], { name: 'run', prBody: 'pr.md' }],
  ])('%j', (argv, expected) => {
    expect(parseCLI(argv)).toMatchObject(expected);
  });

  it.each([
    [['report'], 'missing subcommand (merge)'],
    [['report', 'combine', 'a.json'], "unknown subcommand 'combine' (merge)"],
    [['report', 'merge'], 'missing <report.json>'],
    [['report', 'merge', 'a.json', '--html', 'x'], "unknown option '--html'"],
  ])('%j is refused', (argv, message) => {
    expect(() => parseCLI(argv)).toThrow(message);
  });
});

describe('the fleet table', () => {
  const row = (repository: string, result: string, changed: boolean | null = true): FleetRow => ({
    file: `${repository}.json`, repository, branch: 'b', plan: 'p', planHash: 'h', phaseReached: null, phasesTagged: 0, phasesTotal: 3,
    score: null, result, changed, exitCode: 0, failedPhase: null, reason: null, durationMs: 1,
  });

  it('puts what needs a person first: unknown results, errors, failures, refusals, then passes', () => {
    const fleet = buildFleet([row('a', 'passed'), row('b', 'refused'), row('c', 'failed'), row('d', 'someday'), row('e', 'error'), row('f', 'passed', false)]);
    expect(fleet.rows.map((r) => r.repository)).toEqual(['d', 'e', 'c', 'b', 'a', 'f']);
    expect(fleet.totals).toEqual({ repositories: 6, someday: 1, error: 1, failed: 1, refused: 1, passed: 2, 'nothing to do': 1 });
    expect(fleet.mixedPlans).toBe(false);
  });
});
