import { expect } from 'vitest';
import { phasegate } from './cli.js';
import { makeRepo } from './repo.js';
import { snapshot } from './snapshot.js';

/**
 * A bad plan at plans/bad.yaml is refused by `check` and by `run --yes`: exit 2, every expected
 * `file:line:col: path: message` line printed, and the repository byte-for-byte untouched.
 */
export async function expectPlanRefused(plan: string, expected: readonly string[]): Promise<void> {
  const repo = makeRepo({ 'a.py': 'print(1)\n', 'plans/bad.yaml': plan });
  const before = snapshot(repo);
  for (const args of [['check', 'bad'], ['run', 'bad', '--yes']]) {
    const result = await phasegate(args, { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    for (const line of expected) expect(result.stderr).toContain(line);
  }
  expect(snapshot(repo)).toEqual(before);
}
