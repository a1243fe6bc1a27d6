import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTagMessage } from '../src/git/tag-record.js';
import { PlanError } from '../src/errors.js';
import { parsePlanDeep } from '../src/engine/plans/load.js';
import type { TransformStep } from '../src/plan/schema.js';
import { describeFailure, describeRollback } from '../src/prompts/describe.js';
import { stepTitle } from '../src/transforms/index.js';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir } from './helpers/repo.js';

/**
 * What the screens and records say is true and said once (issue 12, item 6): the plain output of an
 * unattended run, its report, and the tag a passed phase leaves.
 */
const header = 'version: 1\nname: demo\nfiles: ["**/*.py"]\nphases:\n';
const ESC = '\u001b';

describe('the plain output and the report', () => {
  it('name the failed required check when the score met its threshold, and say the verdict once', async () => {
    const plan = `${header}  - id: one
    transform:
      - replace: 'old'
        with: 'new'
    validate:
      - require: 'absent'
        required: true
      - forbid: 'zzz'
      - forbid: 'yyy'
      - forbid: 'www'
      - score: 50
`;
    const repo = makeRepo({ 'a.py': 'x = old\n', 'plans/demo.yaml': plan });
    const result = await phasegate(['run', 'demo', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    // The final table: the score (75%) was enough; the required check is why the phase failed.
    expect(result.stdout).toMatch(/✖ one +failed +required check failed: require \/absent\/ \(score 75% met 50%\)/);
    expect(result.stdout).not.toContain('(needs 50%)');
    const gate = result.stdout.split('\n').find((line) => line.includes('✖ gate'))!;
    expect(gate, result.stdout).toBeDefined();
    expect(gate.split('required check(s) failed').length - 1, gate).toBe(1);
  });

  it('carry no colour escape codes from a tool that colours through a pipe', async () => {
    const plan = `${header}  - id: one
    validate:
      - run: printf '\\033[31mFAIL\\033[0m src/a.test.ts \\033[2m(1 test)\\033[22m\\n'; exit 1
`;
    const repo = makeRepo({ 'a.py': 'x = 1\n', 'plans/demo.yaml': plan });
    const dir = tempDir();
    const [report, summary, junit] = ['report.json', 'summary.md', 'junit.xml'].map((file) => path.join(dir, file));
    const result = await phasegate(['run', 'demo', '--yes', '--report', report, '--summary', summary, '--junit', junit], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain('FAIL src/a.test.ts (1 test)');
    expect(result.all).not.toContain(ESC);
    const written = readFileSync(report, 'utf8');
    expect(JSON.parse(written).phases[0].checks[0].details.outputTail).toContain('FAIL src/a.test.ts (1 test)');
    expect(written).not.toContain('\\u001b');
    for (const file of [summary, junit]) expect(readFileSync(file, 'utf8'), file).not.toContain(ESC);
  });
});

describe("a passed phase's tag", () => {
  it('shows a readable summary line in `git tag -n1`, and its record stays machine-readable', async () => {
    const plan = `${header}  - id: one\n    transform:\n      - replace: 'old'\n        with: 'new'\n    validate:\n      - forbid: 'old'\n`;
    const repo = makeRepo({ 'a.py': 'x = old\n', 'plans/demo.yaml': plan });
    const result = await phasegate(['run', 'demo', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.git('tag', '-n1', 'phasegate/demo/one').trim()).toMatch(/^phasegate\/demo\/one +phasegate demo: one passed \(score 100%\)$/);
    const message = repo.git('for-each-ref', '--format=%(contents)', 'refs/tags/phasegate/demo/one');
    expect(message.split('\n')[1]).toBe('');
    expect(JSON.parse(message.split('\n').slice(2).join('\n'))).toMatchObject({ phasegate: 1, plan: 'demo', phase: 'one' });
    expect(parseTagMessage(message)).toMatchObject({ phasegate: 1, plan: 'demo', phase: 'one', summary: 'phasegate demo: one passed (score 100%)' });
    // status reads the record back (it shows when the phase was tagged).
    const status = JSON.parse((await phasegate(['status', 'demo', '--json'], { cwd: repo.dir })).stdout);
    expect(JSON.stringify(status)).toContain('"one"');
  });

  it('records written by earlier versions (JSON only, or a title line then JSON) are still read', () => {
    const record = { summary: 'phasegate demo: one passed', phasegate: 1, plan: 'demo', phase: 'one', hash: 'h' };
    expect(parseTagMessage(`${JSON.stringify(record, null, 2)}\n`)).toMatchObject(record);
    expect(parseTagMessage(`demo: one\n${JSON.stringify(record, null, 2)}\n`)).toMatchObject(record);
    expect(parseTagMessage('a tag someone else wrote')).toBeUndefined();
    expect(parseTagMessage('release {1.0}\n\nnotes')).toBeUndefined();
  });
});

describe('a failed check lists what matters', () => {
  it('a count over its max lists the matches the phase brought, and every list says "… and N more" alike', async () => {
    // Twelve legitimate calls (a.py…l.py sort first); the transform adds two in z.py.
    const files = Object.fromEntries('abcdefghijkl'.split('').map((name) => [`${name}.py`, 'legacy_call()\n']));
    const plan = `${header}  - id: one
    transform:
      - replace: '^# call here$'
        with: 'legacy_call()'
    validate:
      - count: 'legacy_call\\('
        max: 12
`;
    const repo = makeRepo({ ...files, 'z.py': 'x = 1\n# call here\ny = 2\n# call here\n', 'plans/demo.yaml': plan });
    const result = await phasegate(['run', 'demo', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    const [list, table] = result.stdout.split('phasegate · demo');
    for (const text of [list, table]) {
      expect(text).toContain('z.py:2: legacy_call()  (new in this phase)');
      expect(text).toContain('z.py:4: legacy_call()  (new in this phase)');
      expect(text).toContain('… and 4 more matches');
    }
    expect(result.stdout).not.toMatch(/… \d+ more|and \d+ more\s*$/m);
  });

  it('the guided screens shorten lists the same way', () => {
    const matches = Array.from({ length: 8 }, (_, i) => ({ file: `m${i}.py`, line: 1, text: 'X()' }));
    const check = { index: 0, name: 'forbid /X/', kind: 'forbid', passed: false, required: false, weight: 1, durationMs: 1, summary: '8 matching lines (forbidden)', details: { matches, matchCount: 8 } };
    const phase = { id: 'one', title: 'One', status: 'failed' as const, hash: 'h', filesChanged: 0, changedFiles: [], insertions: 0, deletions: 0, steps: [], checks: [check], score: null, threshold: null, durations: { transformMs: 0, checksMs: 0, totalMs: 0 } };
    expect(describeFailure(phase, [check], { passed: false, score: 0, threshold: null, failed: ['forbid /X/'], failedRequired: ['forbid /X/'] })).toContain('      … and 3 more matches');
    const commits = Array.from({ length: 7 }, (_, i) => `c${i} commit`);
    expect(describeRollback({ target: 'base', phases: [{ id: 'one', title: 'One', commits, files: 1 }] })).toContain('      … and 2 more commits');
  });
});

describe('plan wording', () => {
  it('two different unnamed rule codemods get different labels', () => {
    const step = (rule: object) => ({ codemod: { rule }, fix: 'x', language: 'python' }) as unknown as TransformStep;
    const one = stepTitle(step({ pattern: 'assert $A == $B' }));
    const two = stepTitle(step({ kind: 'assert_statement' }));
    expect(one).toBe('codemod {pattern: assert $A == $B} → x');
    expect(two).toBe('codemod {kind: assert_statement} → x');
    const long = (name: string) => stepTitle(step({ all: [{ kind: 'call' }, { has: { pattern: 'some_long_function_name($$$ARGS)' } }, { inside: { kind: name } }] }));
    expect(long('class_definition')).not.toBe(long('function_definition'));
  });

  it("an invalid strictness inside a rule names the key and the allowed values", async () => {
    const plan = `version: 1\nname: demo\nphases:\n  - id: one\n    transform:\n      - codemod:\n          rule: {pattern: {context: 'assert $A', strictness: loose}}\n        fix: x\n        language: python\n`;
    const problems = await parsePlanDeep(plan, 'plans/demo.yaml').then(() => [], (error: unknown) => (error instanceof PlanError ? error.problems : [String(error)]));
    expect(problems).toEqual(['plans/demo.yaml:7:62: phases[0].transform[0].codemod.rule.pattern.strictness: must be one of "cst", "smart", "ast", "relaxed", "signature", got "loose"']);
  });
});
