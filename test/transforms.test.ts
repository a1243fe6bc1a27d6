import { statSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';
import { onePhasePlan } from './helpers/plan-yaml.js';

function plan(transform: string, extra = ''): string {
  return onePhasePlan('t', `    transform:\n${transform}`, extra);
}

async function run(repo: ReturnType<typeof makeRepo>, args: string[] = []) {
  return phasegate(['run', 't', '--yes', '--report', '.git/r.json', ...args], { cwd: repo.dir });
}

const report = (repo: ReturnType<typeof makeRepo>) => JSON.parse(readFileSync(path.join(repo.dir, '.git/r.json'), 'utf8'));

describe('transform steps', () => {
  it('replace: $1 and $<name>, multiline anchors, literal text; modes and CRLF line endings kept', async () => {
    const repo = makeRepo({
      'a.txt': 'call(old_one)\r\ncall(old_two)\r\n',
      'b.txt': 'price: $5 (a.b)\n',
      'plans/t.yaml': plan(
        "      - replace: '^call\\((?<arg>\\w+)\\)$'\n        with: 'invoke($<arg>)'\n" +
        "      - replace: 'old_(\\w+)'\n        with: 'new_$1'\n" +
        "      - replace: '$5 (a.b)'\n        with: '$1 stays'\n        literal: true\n"),
    });
    repo.write('run.sh', '#!/bin/sh\necho old_x\n', 0o755);
    repo.commitAll('script');
    const result = await run(repo);
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.read('a.txt')).toBe('call(old_one)\r\ncall(old_two)\r\n'.replace(/call\((\w+)\)/g, 'invoke($1)').replace(/old_/g, 'new_'));
    expect(repo.read('b.txt')).toBe('price: $1 stays\n');
    expect(repo.read('run.sh')).toBe('#!/bin/sh\necho new_x\n');
    expect(statSync(path.join(repo.dir, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(repo.git('ls-files', '-s', 'run.sh')).toMatch(/^100755 /);
  });

  it('never rewrites binary, non-UTF-8 or symlinked files, and says so', async () => {
    const repo = makeRepo({ 'text.txt': 'needle\n', 'plans/t.yaml': plan("      - replace: 'needle'\n        with: 'pin'\n") });
    const binary = Buffer.concat([Buffer.from('needle'), Buffer.from([0, 1, 2, 255]), Buffer.from('needle')]);
    const latin1 = Buffer.from('needle caf\xe9\n', 'latin1');
    writeFileSync(path.join(repo.dir, 'blob.bin'), binary);
    writeFileSync(path.join(repo.dir, 'latin1.txt'), latin1);
    symlinkSync('text.txt', path.join(repo.dir, 'link.txt'));
    repo.commitAll('binary');
    const result = await run(repo);
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.read('text.txt')).toBe('pin\n');
    expect(readFileSync(path.join(repo.dir, 'blob.bin')).equals(binary)).toBe(true);
    expect(readFileSync(path.join(repo.dir, 'latin1.txt')).equals(latin1)).toBe(true);
    expect(repo.git('ls-files', '-s', 'link.txt')).toMatch(/^120000 /);
    expect(report(repo).phases[0].steps[0].notes).toEqual(['1 binary file(s) left alone', '1 file(s) that are not UTF-8 left alone']);
  });

  it('rename: templates, globs and whole directories; a renamed file is in scope for later steps', async () => {
    const repo = makeRepo({
      'pkg/mod_a.py': 'import pkg.mod_b\n',
      'pkg/mod_b.py': 'X = 1\n',
      'legacy/one.py': 'one\n',
      'legacy/sub/two.py': 'two\n',
      'notes.md': 'mod_a\n',
      'plans/t.yaml': plan(
        "      - rename: 'pkg/*.py'\n        to: '{dir}/v2_{name}{ext}'\n" +
        "      - rename: legacy\n        to: attic/{name}\n" +
        "      - rename: missing.py\n        to: '{path}.bak'\n        missing: ignore\n" +
        "      - replace: 'pkg\\.mod_b'\n        with: 'pkg.v2_mod_b'\n        files: 'pkg/**'\n"),
    });
    const result = await run(repo);
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.git('ls-files').split('\n').filter(Boolean).sort()).toEqual([
      'attic/legacy/one.py', 'attic/legacy/sub/two.py', 'notes.md', 'pkg/v2_mod_a.py', 'pkg/v2_mod_b.py', 'plans/t.yaml',
    ]);
    expect(repo.read('pkg/v2_mod_a.py')).toBe('import pkg.v2_mod_b\n');
    expect(repo.read('notes.md')).toBe('mod_a\n');
    const steps = report(repo).phases[0].steps;
    expect(steps[2]).toMatchObject({ changedNothing: true, notes: ["nothing matches 'missing.py' (missing: ignore)", 'changed nothing'] });
  });

  it('rename of a missing source without missing: ignore fails the phase and reverts it', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', 'plans/t.yaml': plan("      - replace: 'a'\n        with: 'b'\n      - rename: gone.txt\n        to: here.txt\n") });
    const start = repo.head();
    const result = await run(repo);
    expect(result.exitCode, result.all).toBe(1);
    expect(result.stdout).toContain("nothing to rename: no tracked file matches 'gone.txt'");
    expect(repo.head()).toBe(start);
    expect(repo.read('a.txt')).toBe('a\n');
    expect(repo.git('show', 'refs/phasegate/t/failed/one:a.txt')).toBe('b\n');
  });

  it('delete and run: files a command creates are in scope for later steps; a failing command fails the phase', async () => {
    const repo = makeRepo({
      'gen.sh': 'mkdir -p out && echo "generated TO""DO" > out/new.txt\n',
      'old/a.bak': 'x\n', 'old/keep.txt': 'keep\n',
      'plans/t.yaml': plan("      - delete: 'old/*.bak'\n      - run: sh gen.sh\n      - replace: TODO\n        with: DONE\n"),
    });
    const result = await run(repo);
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.exists('old/a.bak')).toBe(false);
    expect(repo.read('old/keep.txt')).toBe('keep\n');
    expect(repo.read('out/new.txt')).toBe('generated DONE\n');
    expect(report(repo).phases[0].steps.map((s: { filesChanged: number }) => s.filesChanged)).toEqual([1, 1, 1]);

    const failing = makeRepo({ 'a.txt': 'a\n', 'plans/t.yaml': plan("      - replace: a\n        with: b\n      - run: echo boom >&2; exit 7\n") });
    const failed = await run(failing);
    expect(failed.exitCode, failed.all).toBe(1);
    expect(failed.stdout).toContain('exited with status 7');
    expect(failed.stdout).toContain('boom');
    expect(failing.read('a.txt')).toBe('a\n');
  });

  it('a phase whose transform changes nothing still gets its tag, and the report says so', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', 'plans/t.yaml': plan("      - replace: 'zzz'\n        with: 'y'\n") });
    const result = await run(repo);
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.tags()).toEqual(['phasegate/t/base', 'phasegate/t/one']);
    expect(report(repo).phases[0]).toMatchObject({ status: 'passed', filesChanged: 0, steps: [{ changedNothing: true, notes: ['changed nothing'] }] });
    // Said once on screen, not once for the count and again as a note.
    expect(result.stdout).toMatch(/replace zzz → y — changed nothing \(/);
  });
});
