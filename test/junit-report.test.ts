import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';
import { planYaml } from './helpers/plan-yaml.js';

/**
 * `--junit` as CI dashboards read it: every `<testsuite>` and the `<testsuites>` root say how many
 * test cases, failures, errors and skips they hold, and those numbers are the test cases written.
 */
type Counts = { tests: number; failures: number; errors: number; skipped: number };

function attributes(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
}

function declared(tag: string): Counts {
  const attrs = attributes(tag);
  return { tests: Number(attrs.tests), failures: Number(attrs.failures), errors: Number(attrs.errors), skipped: Number(attrs.skipped) };
}

function written(body: string): Counts {
  const count = (pattern: RegExp) => body.match(pattern)?.length ?? 0;
  return { tests: count(/<testcase[\s>]/g), failures: count(/<failure[\s>/]/g), errors: count(/<error[\s>/]/g), skipped: count(/<skipped[\s>/]/g) };
}

function expectConsistent(xml: string): Counts {
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const [, tag, body] of xml.matchAll(/<testsuite( [^>]*)>([\s\S]*?)<\/testsuite>/g)) {
    const inSuite = written(body);
    expect(declared(tag), tag).toEqual(inSuite);
    for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += inSuite[key];
  }
  const root = /<testsuites( [^>]*)>/.exec(xml)?.[1] ?? '';
  expect(declared(root), root).toEqual(total);
  expect(written(xml)).toEqual(total);
  return total;
}

const twoPhases = planYaml('p', `  - id: one
    transform:
      - replace: 'old_call'
        with: 'new_call'
    validate:
      - forbid: 'old_call'
  - id: two
    transform:
      - delete: 'does-not-exist/*'
`, 'preflight:\n  - run: "true"\n');

describe('--junit counts what it writes', () => {
  it('counts a transform that failed as an error, in its suite and at the top', async () => {
    const repo = makeRepo({ 'a.py': 'old_call(1)\n', 'plans/p.yaml': twoPhases });
    const result = await phasegate(['run', 'p', '--yes', '--junit', 'out.xml'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    const xml = repo.read('out.xml');
    expect(expectConsistent(xml)).toEqual({ tests: 3, failures: 0, errors: 1, skipped: 0 });
    expect(xml).toContain('name="transform: delete does-not-exist/*"');
  });

  it('a forbid/require/count case carries its matches before the transform and after it', async () => {
    const repo = makeRepo({ 'a.py': 'old_call(1)\nold_call(2)\n', 'plans/p.yaml': twoPhases });
    await phasegate(['run', 'p', '--yes', '--to', 'one', '--junit', 'out.xml'], { cwd: repo.dir });
    const forbid = /<testcase [^>]*name="forbid \/old_call\/"[^>]*>([\s\S]*?)<\/testcase>/.exec(repo.read('out.xml'))?.[1] ?? '';
    expect(forbid).toContain('<property name="matches before" value="2"/>');
    expect(forbid).toContain('<property name="matches after" value="0"/>');
    expect(forbid).toContain('matches before the transform: 2, after: 0');
  });

  it('counts the phases tagged in an earlier run and the ones not run', async () => {
    const repo = makeRepo({ 'a.py': 'old_call(1)\n', 'plans/p.yaml': twoPhases });
    expect((await phasegate(['run', 'p', '--yes', '--to', 'one'], { cwd: repo.dir })).exitCode).toBe(0);
    const resumed = await phasegate(['run', 'p', '--yes', '--junit', 'resumed.xml'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(1);
    expectConsistent(repo.read('resumed.xml'));
    const bounded = await phasegate(['run', 'p', '--yes', '--from', 'one', '--to', 'one', '--junit', 'bounded.xml'], { cwd: repo.dir });
    expectConsistent(repo.read('bounded.xml'));
    expect(bounded.exitCode, bounded.all).toBe(0);
  });
});
