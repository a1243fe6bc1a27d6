import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, phasegate } from './helpers/cli.js';
import { makeRepo, tempDir } from './helpers/repo.js';
import { onePhasePlan } from './helpers/plan-yaml.js';

/**
 * Issue 11, defects 7 and 8: a check sees every file in its scope (or says which it could not
 * read), and a check's output costs linear time and bounded memory whatever it prints.
 */
function plan(body: string): string {
  return onePhasePlan('p', `${body}\n`);
}

describe('checks that see everything', () => {
  it('refuses to run in a sparse checkout, naming it, and changes nothing', async () => {
    const repo = makeRepo({
      'src/a.py': 'old_call()\n',
      'lib/b.py': 'old_call()\n',
      'plans/p.yaml': plan([
        '    transform:', "      - replace: 'old_call'", "        with: 'new_call'", '        files: src',
        '    validate:', "      - forbid: 'old_call'",
      ].join('\n')),
    });
    repo.git('sparse-checkout', 'set', 'src', 'plans');
    expect(repo.exists('lib/b.py')).toBe(false);
    const start = repo.head();
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('sparse checkout');
    expect(result.stderr).toContain('git sparse-checkout disable');
    expect(repo.head()).toBe(start);
    expect(repo.tags()).toEqual([]);
    expect(repo.read('src/a.py')).toBe('old_call()\n');
  });

  it('forbid reads a Latin-1 file (and says so) and lists the binary files it skipped', async () => {
    const repo = makeRepo({
      'src/a.py': 'print("ok")\n',
      'plans/p.yaml': plan(['    validate:', "      - forbid: 'old_call'", "      - require: 'print'"].join('\n')),
    });
    repo.write('src/latin.py', Buffer.from('# caf\xe9\nold_call()\n', 'latin1') as unknown as string);
    repo.write('src/blob.bin', Buffer.from('old_call\0\x01\x02', 'latin1') as unknown as string);
    repo.commitAll('legacy files');
    const reportFile = path.join(tempDir(), 'report.json');
    const result = await phasegate(['run', 'p', '--yes', '--report', reportFile], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain('src/latin.py:2');
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    const [forbid, require] = report.phases[0].checks;
    expect(forbid.passed).toBe(false);
    expect(forbid.summary).toContain('1 file read as Latin-1 (not UTF-8)');
    expect(forbid.details.matches).toEqual([{ file: 'src/latin.py', line: 2, text: 'old_call()' }]);
    expect(forbid.details.notes).toContain('skipped 1 binary file: src/blob.bin');
    expect(require.passed).toBe(true);
  });

  it('a structural forbid reads a Latin-1 file too, and says so', async () => {
    const repo = makeRepo({
      'src/a.py': 'print("ok")\n',
      'plans/p.yaml': plan(['    validate:', '      - forbid: {pattern: old_call($$$A), language: python}'].join('\n')),
    });
    repo.write('src/latin.py', Buffer.from('# caf\xe9\nold_call(1)\n', 'latin1') as unknown as string);
    repo.commitAll('legacy file');
    const reportFile = path.join(tempDir(), 'report.json');
    const result = await phasegate(['run', 'p', '--yes', '--report', reportFile], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    const check = JSON.parse(readFileSync(reportFile, 'utf8')).phases[0].checks[0];
    expect(check.summary).toContain('1 file read as Latin-1 (not UTF-8)');
    expect(check.details.matches).toMatchObject([{ file: 'src/latin.py', line: 2 }]);
  });

  it('a binary file is listed even when the check passes', async () => {
    const repo = makeRepo({ 'src/a.py': 'print("ok")\n', 'plans/p.yaml': plan(['    validate:', "      - forbid: 'old_call'"].join('\n')) });
    repo.write('src/blob.bin', Buffer.from('old_call\0\x01\x02', 'latin1') as unknown as string);
    repo.commitAll('binary');
    const reportFile = path.join(tempDir(), 'report.json');
    const result = await phasegate(['run', 'p', '--yes', '--report', reportFile], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    const check = JSON.parse(readFileSync(reportFile, 'utf8')).phases[0].checks[0];
    expect(check.summary).toContain('skipped 1 binary file');
    expect(check.details.notes).toEqual(['skipped 1 binary file: src/blob.bin']);
  });
});

describe('check output', () => {
  it('50 MB without a newline: linear time, bounded memory, tail in the report, full output in a log', async () => {
    const repo = makeRepo({
      'src/a.txt': 'alpha\n',
      'plans/p.yaml': plan(['    validate:', "      - run: head -c 50000000 /dev/zero | tr '\\0' a; echo; echo last line", '        name: loud'].join('\n')),
    });
    const dir = tempDir();
    const reportFile = path.join(dir, 'report.json');
    const rssFile = path.join(dir, 'rss');
    const measured = existsSync('/usr/bin/time');
    const command = measured ? ['/usr/bin/time', '-f', '%M', '-o', rssFile, process.execPath, BIN] : [process.execPath, BIN];
    const result = await execa(command[0], [...command.slice(1), 'run', 'p', '--yes', '--report', reportFile], {
      cwd: repo.dir, reject: false, all: true, env: { NO_COLOR: '1', CI: undefined }, timeout: 90_000,
    });
    expect(result.exitCode, result.all?.slice(-2000)).toBe(0);
    const check = JSON.parse(readFileSync(reportFile, 'utf8')).phases[0].checks[0];
    expect(check.details.outputTail.at(-1)).toBe('last line');
    const long = check.details.outputTail.at(-2) as string;
    expect(long.length).toBeLessThan(20_000);
    expect(long).toMatch(/^a+ … \d[\d,]* more characters … a+$/);
    expect(check.details.outputLog).toMatch(/\.git\/phasegate\/logs\//);
    expect(statSync(check.details.outputLog).size).toBe(50_000_000 + '\nlast line\n'.length);
    if (measured) {
      const peakKB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
      expect(peakKB).toBeLessThan(300 * 1024);
    }
  }, 120_000);
});
