import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, phasegate } from './helpers/cli.js';
import { makeRepo, tempDir } from './helpers/repo.js';
import { onePhasePlan } from './helpers/plan-yaml.js';

/**
 * Issue 11, defect 6: a regular expression that backtracks catastrophically must not hang the run.
 * `(a+)+$` on a line of 40 a's and a '!' takes longer than the universe's age; the run must end
 * at the step's or check's `timeout:`, name the regex and the file, and Ctrl-C must still work.
 */
const EVIL = `${'a'.repeat(40)}!\n`;

function plan(body: string): string {
  return onePhasePlan('p', `${body}\n`);
}

describe('runaway regular expressions', () => {
  it('a replace step that backtracks forever fails at its timeout, naming the regex and the file', async () => {
    const repo = makeRepo({
      'src/evil.txt': EVIL,
      'plans/p.yaml': plan(["    transform:", "      - replace: '(a+)+$'", "        with: 'b'", '        timeout: 2s'].join('\n')),
    });
    const start = repo.head();
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir, timeout: 60_000 });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain('(a+)+$');
    expect(result.all).toContain('src/evil.txt');
    expect(result.all).toMatch(/timed out after 2\.0s/);
    expect(repo.read('src/evil.txt')).toBe(EVIL);
    expect(repo.git('rev-parse', 'HEAD').trim()).toBe(start);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('a forbid check that backtracks forever fails at its timeout and the phase is reverted', async () => {
    const repo = makeRepo({
      'src/evil.txt': EVIL,
      'src/ok.txt': 'x = 1\n',
      'plans/p.yaml': plan([
        '    transform:', "      - replace: 'x = 1'", "        with: 'x = 2'",
        '    validate:', "      - forbid: '(a+)+$'", '        timeout: 2s',
      ].join('\n')),
    });
    const reportFile = path.join(tempDir(), 'report.json');
    const result = await phasegate(['run', 'p', '--yes', '--report', reportFile], { cwd: repo.dir, timeout: 60_000 });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain('src/evil.txt');
    expect(repo.read('src/ok.txt')).toBe('x = 1\n');
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    const check = report.phases[0].checks[0];
    expect(check.passed).toBe(false);
    expect(check.summary).toMatch(/\(a\+\)\+\$.*timed out after 2\.0s.*src\/evil\.txt/);
  });

  it('Ctrl-C during a replace that backtracks forever exits 130 and restores the checkpoint', async () => {
    const outside = tempDir();
    const marker = path.join(outside, 'marker');
    const repo = makeRepo({
      'src/evil.txt': EVIL,
      'src/ok.txt': 'x = 1\n',
      'plans/p.yaml': plan([
        '    transform:', "      - replace: 'x = 1'", "        with: 'x = 2'",
        `      - run: touch '${marker}'`,
        "      - replace: '(a+)+$'", "        with: 'b'",
      ].join('\n')),
    });
    const start = repo.head();
    const child = execa(process.execPath, [BIN, 'run', 'p', '--yes'], { cwd: repo.dir, reject: false, all: true, env: { NO_COLOR: '1' } });
    for (let i = 0; i < 600 && !existsSync(marker); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(marker)).toBe(true);
    // Give the run time to be inside the regex (it never leaves it on its own).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const result = await child;
    clearTimeout(killer);
    expect(result.exitCode, result.all).toBe(130);
    expect(repo.git('rev-parse', 'HEAD').trim()).toBe(start);
    expect(repo.read('src/ok.txt')).toBe('x = 1\n');
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(existsSync(path.join(repo.dir, '.git/phasegate/journal.json'))).toBe(false);
  });

  it('the timeout key is accepted on every step and check, and must be a duration', async () => {
    const repo = makeRepo({
      'src/a.txt': 'alpha\n',
      'plans/p.yaml': plan([
        '    transform:', "      - replace: 'alpha'", "        with: 'beta'", '        timeout: 1m',
        '      - rename: src/a.txt', '        to: src/b.txt', '        timeout: 90s',
        '    validate:', "      - forbid: 'alpha'", '        timeout: 30s', "      - require: 'beta'", '        timeout: 30s',
        "      - count: 'beta'", '        max: 1', '        timeout: 10m',
      ].join('\n')),
    });
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    repo.write('plans/q.yaml', plan(['    validate:', "      - forbid: 'alpha'", '        timeout: soon'].join('\n')).replace('name: p', 'name: q'));
    const bad = await phasegate(['check', 'plans/q.yaml'], { cwd: repo.dir });
    expect(bad.exitCode, bad.all).toBe(2);
    expect(bad.all).toContain('timeout: is not a duration');
  });
});
