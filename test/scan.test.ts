import { linkSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMatches, MatchBatch } from '../src/checks/matches.js';
import type { CheckContext } from '../src/checks/types.js';
import { GitClient } from '../src/git/client.js';
import { PhaseFiles } from '../src/scope/files.js';
import { requiredLiteral } from '../src/scope/literal.js';
import { readTextFile, writeTextFile } from '../src/scope/text.js';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir } from './helpers/repo.js';

/** The fast paths behind transforms and checks (issue 7) must see exactly what the slow ones did. */
describe('reading and writing files in scope', () => {
  it('reads text, skips what must not be rewritten, and hands out buffers that stay valid', () => {
    const dir = tempDir();
    const at = (name: string) => path.join(dir, name);
    writeFileSync(at('a.py'), 'import x\nvalue = 1\n');
    writeFileSync(at('b.py'), 'other\n');
    writeFileSync(at('bin.dat'), Buffer.from([0x61, 0, 0x62]));
    writeFileSync(at('latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    symlinkSync('a.py', at('link.py'));
    symlinkSync('gone.py', at('dangling.py'));
    mkdirSync(at('sub'));

    const first = readTextFile(at('a.py'));
    expect(first).toMatchObject({ text: 'import x\nvalue = 1\n' });
    readTextFile(at('b.py'));
    expect((first as { buffer: Buffer }).buffer.toString()).toBe('import x\nvalue = 1\n');
    expect(readTextFile(at('a.py'), 'nothing like it')).toBeUndefined();
    expect(readTextFile(at('a.py'), ['nope', 'value'])).toMatchObject({ text: 'import x\nvalue = 1\n' });
    expect(readTextFile(at('bin.dat'))).toEqual({ skipped: 'binary' });
    expect(readTextFile(at('latin1.txt'))).toEqual({ skipped: 'not-utf8' });
    expect(readTextFile(at('link.py'))).toEqual({ skipped: 'symlink' });
    expect(readTextFile(at('dangling.py'))).toEqual({ skipped: 'symlink' });
    expect(readTextFile(at('missing.py'))).toEqual({ skipped: 'missing' });
    expect(readTextFile(at('sub'))).toEqual({ skipped: 'missing' });
  });

  it('reads files larger than its buffer whole, before and after a huge one', () => {
    const dir = tempDir();
    const medium = `${'x'.repeat(300 * 1024)}tail-marker\n`;
    const huge = `${'y'.repeat(5 * 1024 * 1024)}end\n`;
    writeFileSync(path.join(dir, 'medium.txt'), medium);
    writeFileSync(path.join(dir, 'huge.txt'), huge);
    writeFileSync(path.join(dir, 'small.txt'), 'small\n');
    expect(readTextFile(path.join(dir, 'medium.txt'), 'tail-marker')).toMatchObject({ text: medium });
    expect(readTextFile(path.join(dir, 'huge.txt'))).toMatchObject({ text: huge });
    expect(readTextFile(path.join(dir, 'small.txt'))).toMatchObject({ text: 'small\n' });
    expect(readTextFile(path.join(dir, 'medium.txt'))).toMatchObject({ text: medium });
  });

  it('rewrites in place: longer, shorter, same inode and mode; never through a hard link', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.sh');
    writeFileSync(file, 'echo one\n', { mode: 0o755 });
    const inode = statSync(file).ino;
    writeTextFile(file, 'echo a much longer line — with ünïcödé\n');
    expect(readTextFile(file)).toMatchObject({ text: 'echo a much longer line — with ünïcödé\n' });
    writeTextFile(file, 'x\n');
    expect(readTextFile(file)).toMatchObject({ text: 'x\n' });
    expect(statSync(file).ino).toBe(inode);
    expect(statSync(file).mode & 0o777).toBe(0o755);
    // The other link may be outside the working tree (SPEC: never written): it keeps its content.
    linkSync(file, path.join(dir, 'hard-link.sh'));
    writeTextFile(file, 'y\n');
    expect(readTextFile(file)).toMatchObject({ text: 'y\n' });
    expect(readTextFile(path.join(dir, 'hard-link.sh'))).toMatchObject({ text: 'x\n' });
    expect(statSync(file).mode & 0o777).toBe(0o755);
    writeTextFile(path.join(dir, 'new.txt'), 'created\n');
    expect(readTextFile(path.join(dir, 'new.txt'))).toMatchObject({ text: 'created\n' });
  });

  it('the literal prefilter looks past alternatives inside a group, never past a top-level |', () => {
    expect(requiredLiteral('from a\\.(?:b|c)\\.mod import X')).toBe('.mod import X');
    expect(requiredLiteral('(?<!class )\\bNotifier\\(')).toBe('Notifier(');
    expect(requiredLiteral('(ab|cd)|efgh')).toBeUndefined();
    expect(requiredLiteral('abc\\|def')).toBe('abc|def');
    expect(requiredLiteral('[|]xyz')).toBe('xyz');
  });
});

describe('regex checks scanned together', () => {
  async function context(files: Record<string, string>) {
    const repo = makeRepo(files);
    const git = new GitClient(repo.dir);
    const scope = await PhaseFiles.tracked(git, []);
    const ctx: CheckContext = { root: repo.dir, git, files: scope, defaultFiles: undefined, signal: new AbortController().signal, env: {}, progress: () => {} };
    return { repo, ctx };
  }

  it('gives each check the matches it would find alone, in file order', async () => {
    const { ctx } = await context({ 'a.py': 'alpha\nbeta\nalpha beta\n', 'b.py': 'beta\n', 'c.txt': 'alpha\n' });
    const checks = [
      { forbid: 'alpha' },
      { count: 'beta', max: 9 },
      { require: 'gamma|beta' },
      { forbid: 'alpha', files: '*.txt' },
      { count: 'beta', literal: true, min: 1 },
    ];
    const alone = await Promise.all(checks.map((check) => findMatches(Object.values(check)[0] as string, check, ctx)));
    const batch = new MatchBatch(checks);
    const together = [];
    for (const check of checks) together.push(await findMatches(Object.values(check)[0] as string, check, { ...ctx, batch }));
    expect(together).toEqual(alone);
    expect(alone[0].map((match) => `${match.file}:${match.line}`)).toEqual(['a.py:1', 'a.py:3', 'c.txt:1']);
    expect(alone[3].map((match) => match.file)).toEqual(['c.txt']);
  });

  it('a run check between two regex checks is seen by the one after it', async () => {
    const repo = makeRepo({
      'src/a.txt': 'alpha\n',
      'plans/p.yaml': [
        'version: 1', 'name: p', 'phases:', '  - id: one', '    validate:',
        "      - count: 'MARK'", '        max: 0', '        name: before the command',
        '      - run: echo MARK >> src/a.txt',
        "      - count: 'MARK'", '        min: 1', '        name: after the command', '',
      ].join('\n'),
    });
    const result = await phasegate(['run', 'p', '--yes', '--report', 'r.json'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toContain('changed the working tree');
    expect(repo.read('src/a.txt')).toBe('alpha\n');
  });
});

describe('status reads validated plans back', () => {
  it('shows the same before and after the plan is remembered, and notices edits', async () => {
    const plan = (title: string) => `version: 1\nname: p\nphases:\n  - id: one\n    title: ${title}\n    transform:\n      - replace: 'alpha'\n        with: 'gamma'\n`;
    const repo = makeRepo({ 'src/a.txt': 'alpha\n', 'plans/p.yaml': plan('First') });
    expect((await phasegate(['run', 'p', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    const first = await phasegate(['status', '--json'], { cwd: repo.dir });
    const second = await phasegate(['status', '--json'], { cwd: repo.dir });
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(second.stdout).plans[0].phases[0]).toMatchObject({ title: 'First', tagged: true, changedSinceTag: false });
    repo.write('plans/p.yaml', plan('Second'));
    const edited = JSON.parse((await phasegate(['status', '--json'], { cwd: repo.dir })).stdout);
    expect(edited.plans[0].phases[0]).toMatchObject({ title: 'Second', changedSinceTag: true });
    repo.write('plans/p.yaml', `${plan('Third')}    validate:\n      - forbid: '('\n`);
    const broken = JSON.parse((await phasegate(['status', '--json'], { cwd: repo.dir })).stdout);
    expect(broken.plans[0].problem).toContain('invalid regular expression');
  });
});
