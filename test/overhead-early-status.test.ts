import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';

/**
 * Issue 15: `run` and `rollback` ask `git status` as the process starts, while their modules
 * load, from wherever they were started. The answer must be the whole repository's, relative to
 * its root, exactly as when it was asked later: a subfolder start sees changes elsewhere too.
 */
const plan = ['version: 1', 'name: p', 'phases:', '  - id: one', '    transform:', "      - replace: 'old_call'", "        with: 'new_call'", ''].join('\n');

describe('the status asked at start', () => {
  it('run from a subfolder refuses a change in another folder, and leaves untracked files elsewhere alone', async () => {
    const repo = makeRepo({ 'src/a.py': 'old_call()\n', 'lib/b.py': 'x = 1\n', 'plans/p.yaml': plan });
    repo.write('lib/b.py', 'x = 2\n');
    const refused = await phasegate(['run', '../plans/p.yaml', '--yes', '--no-branch'], { cwd: `${repo.dir}/src` });
    expect(refused.exitCode, refused.all).toBe(2);
    expect(refused.stderr).toContain('M lib/b.py');
    expect(repo.tags()).toEqual([]);

    repo.git('checkout', '--', 'lib/b.py');
    repo.write('lib/notes.txt', 'mine\n');
    const result = await phasegate(['run', '../plans/p.yaml', '--yes', '--no-branch'], { cwd: `${repo.dir}/src` });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toContain('lib/notes.txt');
    expect(repo.git('ls-files', 'lib')).not.toContain('notes.txt');
    expect(repo.read('lib/notes.txt')).toBe('mine\n');

    const rolledBack = await phasegate(['rollback', 'base', '--yes', '--plan', '../plans/p.yaml'], { cwd: `${repo.dir}/src` });
    expect(rolledBack.exitCode, rolledBack.all).toBe(0);
    expect(repo.read('src/a.py')).toBe('old_call()\n');
    expect(repo.read('lib/notes.txt')).toBe('mine\n');
  });
});
