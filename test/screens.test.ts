import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTagMessage } from '../src/engine/tag-record.js';
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
