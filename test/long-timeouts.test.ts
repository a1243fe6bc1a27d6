import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';
import { planYaml } from './helpers/plan-yaml.js';

/**
 * A timeout longer than a Node timer can hold (2^31-1 ms, about 596h) is still a timeout that has
 * not run out: Node fires such a timer at once (TimeoutOverflowWarning), and `timeout: 600h` used
 * to make a one-second command "time out" immediately. Every timer armed from a plan's `timeout:`
 * — commands (steps, checks, preflight, rollback), codemods and structural checks, regexes — waits.
 */
const LONG = '600h';

const plan = planYaml('p', `  - id: one
    transform:
      - run: 'sleep 1; echo hi > made.txt'
        timeout: ${LONG}
      - replace: 'old_call'
        with: 'mid_call'
        timeout: ${LONG}
      - codemod: 'mid_call($$$A)'
        fix: 'new_call($$$A)'
        language: python
        timeout: 100000h
      - rename: app.py
        to: main.py
        timeout: ${LONG}
    validate:
      - run: 'sleep 1'
        timeout: ${LONG}
      - forbid: 'old_call'
        timeout: ${LONG}
      - require: {pattern: 'new_call($A)', language: python}
        timeout: ${LONG}
  - id: two
    transform:
      - replace: 'new_call'
        with: 'newer_call'
    validate:
      - forbid: 'newer_call'
    rollback:
      - run: 'sleep 1'
        timeout: ${LONG}
`, `preflight:\n  - run: 'sleep 1'\n    timeout: ${LONG}\n`);

describe('timeouts longer than a Node timer holds', () => {
  it(`timeout: ${LONG} on every kind of step and check never fires early`, async () => {
    const repo = makeRepo({ 'app.py': 'old_call(1)\n', 'plans/p.yaml': plan });
    expect((await phasegate(['check', 'p'], { cwd: repo.dir })).exitCode).toBe(0);
    const result = await phasegate(['run', 'p', '--yes', '--report', 'r.json'], { cwd: repo.dir });
    // Phase two fails its check on purpose, so that its rollback step runs.
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).not.toMatch(/timed out|TimeoutOverflowWarning/);
    const report = JSON.parse(repo.read('r.json'));
    expect(report.preflight.passed).toBe(true);
    const [one, two] = report.phases;
    expect(one.status, JSON.stringify(one)).toBe('passed');
    expect(one.checks.map((check: { passed: boolean }) => check.passed)).toEqual([true, true, true]);
    expect(two.rollback.steps, JSON.stringify(two.rollback)).toMatchObject([{ ok: true }]);
    expect(repo.git('show', 'phasegate/p/one:main.py').trim()).toBe('new_call(1)');
    expect(repo.git('show', 'phasegate/p/one:made.txt').trim()).toBe('hi');
  });
});
