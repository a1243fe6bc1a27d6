import { describe, expect, it } from 'vitest';
import { PlanError } from '../src/errors.js';
import { parsePlanDeep } from '../src/engine/plans/load.js';
import { phasegate } from './helpers/cli.js';
import { expectPlanRefused } from './helpers/bad-plan.js';
import { makeRepo } from './helpers/repo.js';
import { onePhasePlan } from './helpers/plan-yaml.js';

/**
 * Bad plans are refused before anything runs: exit 2, one line per problem with file:line:col and
 * the key path, and the repository byte-for-byte untouched. The messages are the loader's (the one
 * `check` and `run` call), checked in process; two cases go through the CLI end to end.
 */
const header = 'version: 1\nname: demo\n';
const phase = (body: string) => onePhasePlan('demo', body);

const cases: { name: string; plan: string; expect: string[] }[] = [
  { name: 'malformed YAML', plan: `${header}phases:\n  - id: one\n    transform: [ { replace: a, with: b }\n`, expect: ['plans/bad.yaml:6:1: phases[0].transform[0]: invalid YAML: Flow sequence'] },
  { name: 'a key indented less than its step', plan: `${header}phases:\n  - id: one\n    transform:\n      - replace: 'a'\n      with: 'b'\n`, expect: ['plans/bad.yaml:7:7: '] },
  { name: 'duplicate key', plan: `${header}name: again\nphases:\n  - id: one\n`, expect: ["plans/bad.yaml:3:1: name: duplicate key 'name'"] },
  { name: 'unknown top-level key', plan: `${header}phasez: []\nphases:\n  - id: one\n`, expect: ["plans/bad.yaml:3:1: phasez: unknown key 'phasez'"] },
  { name: 'unknown key in a check, with a suggestion', plan: phase('    validate:\n      - run: "true"\n        tiemout: 10m\n'), expect: ["plans/bad.yaml:7:9: phases[0].validate[0].tiemout: unknown key 'tiemout' — did you mean 'timeout'?"] },
  { name: 'wrong type', plan: phase('    transform:\n      - replace: 3\n        with: x\n'), expect: ['plans/bad.yaml:6:18: phases[0].transform[0].replace: expected a string, got number 3'] },
  { name: 'missing required key', plan: phase('    transform:\n      - replace: a\n'), expect: ['plans/bad.yaml:6:9: phases[0].transform[0].with: is required'] },
  { name: 'unknown step kind', plan: phase('    transform:\n      - rewrite: a\n'), expect: ["plans/bad.yaml:6:9: phases[0].transform[0]: not a known transform step (has 'rewrite')"] },
  { name: 'invalid regex in replace', plan: phase("    transform:\n      - replace: '(unclosed'\n        with: x\n"), expect: ['plans/bad.yaml:6:18: phases[0].transform[0].replace: invalid regular expression'] },
  { name: 'invalid regex in forbid', plan: phase("    validate:\n      - forbid: '[a-'\n"), expect: ['plans/bad.yaml:6:17: phases[0].validate[0].forbid: invalid regular expression'] },
  { name: 'bad duration', plan: phase('    validate:\n      - run: "true"\n        timeout: 10 minutes\n'), expect: ['plans/bad.yaml:7:18: phases[0].validate[0].timeout: is not a duration'] },
  { name: 'duplicate phase ids', plan: `${header}phases:\n  - id: one\n  - id: one\n`, expect: ["plans/bad.yaml:5:9: phases[1].id: duplicate phase id 'one' (first used by phases[0])"] },
  { name: 'invalid phase id', plan: `${header}phases:\n  - id: One_Phase\n`, expect: ['plans/bad.yaml:4:9: phases[0].id: must be lowercase letters'] },
  { name: 'reserved phase id base', plan: `${header}phases:\n  - id: base\n`, expect: ["plans/bad.yaml:4:9: phases[0].id: 'base' is reserved"] },
  { name: 'invalid plan name', plan: 'version: 1\nname: My Plan\nphases:\n  - id: one\n', expect: ['plans/bad.yaml:2:7: name: must be lowercase letters'] },
  { name: 'wrong version', plan: 'version: 2\nname: demo\nphases:\n  - id: one\n', expect: ['plans/bad.yaml:1:10: version: must be 1'] },
  { name: 'no phases', plan: `${header}phases: []\n`, expect: ['plans/bad.yaml:3:9: phases: must not be empty'] },
  { name: 'absolute path in files', plan: `${header}files: ['/etc/**']\nphases:\n  - id: one\n`, expect: ["plans/bad.yaml:3:9: files[0]: '/etc/**' is not relative to the repository root"] },
  { name: 'path that climbs out', plan: phase("    transform:\n      - delete: '../secrets.txt'\n"), expect: ["plans/bad.yaml:6:17: phases[0].transform[0].delete: '../secrets.txt' leaves the repository"] },
  { name: 'glob into .git', plan: phase("    validate:\n      - forbid: x\n        files: ['.git/**']\n"), expect: ["plans/bad.yaml:7:17: phases[0].validate[0].files[0]: '.git/**' reaches into .git"] },
  { name: 'rename target leaves the repository', plan: phase("    transform:\n      - rename: a.py\n        to: '../{name}{ext}'\n"), expect: ["plans/bad.yaml:7:13: phases[0].transform[0].to: '../{name}{ext}' leaves the repository"] },
  { name: 'unknown rename placeholder', plan: phase("    transform:\n      - rename: a.py\n        to: '{stem}.bak'\n"), expect: ['plans/bad.yaml:7:13: phases[0].transform[0].to: unknown placeholder {stem}'] },
  { name: 'score out of range', plan: phase('    validate:\n      - score: 120\n'), expect: ['plans/bad.yaml:6:16: phases[0].validate[0].score: must be at most 100'] },
  { name: 'two score entries', plan: phase('    validate:\n      - score: 80\n      - score: 90\n'), expect: ['plans/bad.yaml:7:9: phases[0].validate[1]: a phase has at most one score entry'] },
  { name: 'count without bounds', plan: phase("    validate:\n      - count: 'x'\n"), expect: ["plans/bad.yaml:6:9: phases[0].validate[0]: needs 'min', 'max' or both"] },
  { name: 'negative weight', plan: phase("    validate:\n      - forbid: 'x'\n        weight: -1\n"), expect: ['plans/bad.yaml:7:17: phases[0].validate[0].weight: must be at least 0'] },
  { name: 'invalid branch name', plan: `${header}branch: 'bad branch'\nphases:\n  - id: one\n`, expect: ['plans/bad.yaml:3:9: branch: is not a valid branch name'] },
  { name: 'unknown hook event', plan: `${header}hooks:\n  before-all: [x]\nphases:\n  - id: one\n`, expect: ["plans/bad.yaml:4:3: hooks.before-all: unknown key 'before-all'"] },
  { name: 'several problems at once', plan: `${header}phases:\n  - id: one\n    transform:\n      - replace: '('\n        with: x\n    validate:\n      - run: "true"\n        timeout: soon\n`, expect: [
    'plans/bad.yaml:6:18: phases[0].transform[0].replace: invalid regular expression',
    'plans/bad.yaml:10:18: phases[0].validate[0].timeout: is not a duration',
  ] },
];

/** The loader's problems for a plan at plans/bad.yaml, one `file:line:col: path: message` each. */
async function problemsOf(plan: string): Promise<string[]> {
  try {
    await parsePlanDeep(plan, 'plans/bad.yaml');
  } catch (error) {
    if (error instanceof PlanError) return error.problems;
    throw error;
  }
  throw new Error('the plan was accepted');
}

describe('a bad plan is refused with file:line:col and the key path', () => {
  it.each(cases)('$name', async ({ plan, expect: expected }) => {
    const problems = await problemsOf(plan);
    for (const line of expected) expect(problems.some((problem) => problem.includes(line)), `${line}\n  not in:\n${problems.join('\n')}`).toBe(true);
  });
});

describe('the CLI refuses a bad plan, touching nothing', () => {
  it.each([cases[0], cases.at(-1)!])('check and run: $name', async ({ plan, expect: expected }) => {
    await expectPlanRefused(plan, expected);
  });

  it('every line of a refused plan starts with file:line:col, the first one too (no "phasegate: " before it)', async () => {
    await expectPlanRefused(phase("    transform:\n      - replace: 'a'\n        with: 'b'\n        bogus: 1\n"), [
      "plans/bad.yaml:8:9: phases[0].transform[0].bogus: unknown key 'bogus'",
    ]);
  });

  it('accepts the starter plan written by init', async () => {
    const repo = makeRepo({ 'a.py': 'print(1)\n' });
    const init = await phasegate(['init', 'starter'], { cwd: repo.dir });
    expect(init.exitCode, init.all).toBe(0);
    expect(repo.exists('plans/starter.yaml')).toBe(true);
    const check = await phasegate(['check', 'starter'], { cwd: repo.dir });
    expect(check.exitCode, check.all).toBe(0);
    expect(check.stdout).toContain("plan 'starter', 1 phase(s)");
    const again = await phasegate(['init', 'starter'], { cwd: repo.dir });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('says when the plan file does not exist', async () => {
    const repo = makeRepo({ 'a.py': 'print(1)\n' });
    const result = await phasegate(['run', 'nope', '--yes'], { cwd: repo.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('plan not found: plans/nope.yaml');
  });
});
