import { expect } from 'vitest';
import { phasegate } from './cli.js';
import { makeRepo } from './repo.js';
import { snapshot } from './snapshot.js';

/**
 * A bad plan at plans/bad.yaml is refused by `check` and by `run --yes`: exit 2, every expected
 * `file:line:col: path: message` line printed as the start of a line of its own (no prefix, so
 * editors and CI problem matchers pick each one up), and the repository byte-for-byte untouched.
 */
export async function expectPlanRefused(plan: string, expected: readonly string[]): Promise<void> {
  const repo = makeRepo({ 'a.py': 'print(1)\n', 'plans/bad.yaml': plan });
  const before = snapshot(repo);
  for (const args of [['check', 'bad'], ['run', 'bad', '--yes']]) {
    const result = await phasegate(args, { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    const lines = result.stderr.split('\n').filter(Boolean);
    for (const line of expected) expect(lines.some((printed) => printed.startsWith(line)), `${line}\n  not a line of:\n${result.stderr}`).toBe(true);
    for (const printed of lines) expect(printed).toMatch(/^plans\/bad\.yaml:\d+:\d+: /);
  }
  expect(snapshot(repo)).toEqual(before);
}
