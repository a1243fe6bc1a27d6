import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';
import { statusAll, treeOf } from './helpers/git-reads.js';

/**
 * Issue 15, target 4: after its reset, `rollback` looks for leftovers only among the paths the
 * reset deleted (git/reset-leftovers.ts) instead of walking the whole tree. "Nothing is lost"
 * still holds: what the phases added goes, the user's untracked files stay (also in a folder the
 * phases filled), and what the reset could not delete is reported, never silently kept or lost.
 */
const plan = (step: string) => `version: 1
name: p
files: ["**/*.txt"]
phases:
  - id: one
    title: Generate
    transform:
      - run: ${JSON.stringify(step)}
    validate:
      - require: 'made'
        files: gen/a.txt
`;

function repoWith(step: string) {
  const repo = makeRepo({ 'plan.yaml': plan(step), 'old/x.txt': 'old\n', 'keep.txt': 'keep\n' });
  return repo;
}

describe('rollback after a reset: leftovers looked for where the reset deleted', () => {
  it('removes the files and folders the phase added, keeps the user\'s untracked files beside them, keeps no discarded ref', async () => {
    const repo = repoWith('mkdir -p gen/deep && echo made > gen/a.txt && echo b > gen/deep/b.txt && rm -r old');
    repo.write('gen/mine.txt', 'mine\n');
    repo.write('notes/todo.txt', 'todo\n');
    const run = await phasegate(['run', 'plan.yaml', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    expect(repo.exists('gen/deep/b.txt')).toBe(true);

    const result = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(treeOf(repo, 'HEAD')).toBe(treeOf(repo, 'phasegate/p/base'));
    expect(repo.exists('gen/a.txt')).toBe(false);
    expect(repo.exists('gen/deep')).toBe(false);
    expect(repo.read('old/x.txt')).toBe('old\n');
    expect(repo.read('gen/mine.txt')).toBe('mine\n');
    expect(repo.read('notes/todo.txt')).toBe('todo\n');
    expect(statusAll(repo)).toBe('?? gen/mine.txt\n?? notes/todo.txt\n');
    expect(repo.refs().filter((ref) => ref.includes('/discarded/'))).toEqual([]);
    expect(result.all).not.toContain('untracked file(s) that were not there before');
  });

  it('a nested repository the phase committed is left where the reset leaves it and named, never removed', async () => {
    const repo = repoWith('mkdir -p gen/sub && echo made > gen/a.txt && cd gen/sub && git init -q && echo inner > inner.txt && git add inner.txt && git -c user.name=t -c user.email=t@t commit -qm inner');
    const run = await phasegate(['run', 'plan.yaml', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    const committed = repo.git('ls-tree', '-r', 'HEAD', '--', 'gen/sub');
    // Only meaningful when git committed the nested repository as a gitlink.
    expect(committed).toMatch(/^160000 commit /);

    const result = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(result.all).toContain('gen/sub/');
    expect(repo.read('gen/sub/inner.txt')).toBe('inner\n');
    expect(repo.read('old/x.txt')).toBe('old\n');
  });
});
