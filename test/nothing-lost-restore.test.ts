import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, type TestRepo } from './helpers/repo.js';
import { expectGitSentinels, expectSentinels, IGNORE_BUILD, plantGitSentinels, plantSentinels } from './helpers/sentinels.js';
import { branchOf, statusAll } from './helpers/git-reads.js';
import { planYaml } from './helpers/plan-yaml.js';

/**
 * Nothing lost (issue 11): a revert, a crash recovery and a rollback put the repository back
 * without removing anything the user had — an untracked folder, an ignored folder, an uncommitted
 * plan in a new folder — and whatever they do discard (files a step or check created) is first kept
 * on a ref that the output names.
 */

const PLAN = 'plans/p.yaml';

function plan(phases: string, preflight = ''): string {
  return planYaml('p', phases, preflight);
}

/** Phase one passes; phase two creates gen/new.txt in a new folder, then fails its check. */
const ONE_PASSES = `  - id: one
    transform:
      - replace: 'x = 1'
        with: 'x = 2'
        files: src/a.txt
    validate:
      - require: 'x = 2'
        files: src/a.txt
`;
const TWO_FAILS = `  - id: two
    transform:
      - run: mkdir -p gen && printf made > gen/new.txt
    validate:
      - run: 'false'
`;

function project(planText: string, files: Record<string, string> = {}) {
  const repo = makeRepo({ 'src/a.txt': 'x = 1\n', '.gitignore': IGNORE_BUILD, ...files });
  const kept = plantGitSentinels(repo, 'src/a.txt');
  const planted = plantSentinels(repo, { [PLAN]: planText });
  return { repo, planted, kept, base: repo.head() };
}

/** The one ref under refs/phasegate/p/ that the output names and that holds `file`. */
function keptRef(repo: TestRepo, output: string, file: string): string {
  const named = [...output.matchAll(/refs\/phasegate\/p\/(?:failed|discarded)\/[\w.:-]+/g)].map((m) => m[0]);
  const holding = named.filter((ref) => repo.git('ls-tree', '-r', '--name-only', ref).split('\n').includes(file));
  expect(holding, `no ref named in the output holds ${file}:\n${output}`).not.toHaveLength(0);
  return holding[0];
}


describe('nothing lost: a revert, a recovery and a rollback leave untracked and ignored folders alone', () => {
  it('an automatic revert keeps them and keeps what the phase created on a named ref', async () => {
    const { repo, planted, kept } = project(plan(ONE_PASSES + TWO_FAILS));
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expectSentinels(repo, planted, 'after the revert');
    expectGitSentinels(repo, kept, 'after the revert');
    expect(repo.exists('gen/new.txt')).toBe(false);
    expect(statusAll(repo)).toBe(`?? notes/todo.txt\n?? ${PLAN}\n`);
    expect(repo.git('show', `${keptRef(repo, result.all, 'gen/new.txt')}:gen/new.txt`)).toBe('made');
    expect(repo.read('src/a.txt')).toBe('x = 2\n');
  });

  it('crash recovery after kill -9 keeps them', async () => {
    const { repo, planted, kept } = project(plan(ONE_PASSES + TWO_FAILS));
    expect((await phasegate(['run', 'p', '--yes', '--to', 'one'], { cwd: repo.dir })).exitCode).toBe(0);
    const killed = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir, env: { PHASEGATE_FAILPOINT: 'during-transform' } });
    expect(killed.exitCode, killed.all).toBe(-1);
    expectSentinels(repo, planted, 'after the kill');
    expect(repo.exists('gen/new.txt')).toBe(true);
    const recovered = await phasegate(['run', 'p', '--yes', '--to', 'one'], { cwd: repo.dir });
    expect(recovered.exitCode, recovered.all).toBe(0);
    expect(recovered.stderr).toContain("phase 'two' of plan 'p' was interrupted");
    expectSentinels(repo, planted, 'after the recovery');
    expectGitSentinels(repo, kept, 'after the kill and the recovery');
    expect(repo.exists('gen/new.txt')).toBe(false);
    expect(statusAll(repo)).toBe(`?? notes/todo.txt\n?? ${PLAN}\n`);
    expect(repo.git('show', `${keptRef(repo, recovered.all, 'gen/new.txt')}:gen/new.txt`)).toBe('made');
  });

  it('rollback base --yes keeps them', async () => {
    const { repo, planted, kept, base } = project(plan(ONE_PASSES));
    expect((await phasegate(['run', 'p', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    expectSentinels(repo, planted, 'after the run');
    const rolled = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(rolled.exitCode, rolled.all).toBe(0);
    expectSentinels(repo, planted, 'after the rollback');
    expectGitSentinels(repo, kept, 'after the rollback');
    expect(repo.head()).toBe(base);
    expect(statusAll(repo)).toBe(`?? notes/todo.txt\n?? ${PLAN}\n`);
  });

  it('a rollback killed half-way and finished by the next rollback keeps them', async () => {
    const { repo, planted, kept, base } = project(plan(ONE_PASSES));
    expect((await phasegate(['run', 'p', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    const killed = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir, env: { PHASEGATE_FAILPOINT: 'during-rollback' } });
    expect(killed.exitCode, killed.all).toBe(-1);
    expectSentinels(repo, planted, 'after the kill');
    const finished = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(finished.exitCode, finished.all).toBe(0);
    expectSentinels(repo, planted, 'after the finished rollback');
    expectGitSentinels(repo, kept, 'after the finished rollback');
    expect(repo.head()).toBe(base);
    expect(statusAll(repo)).toBe(`?? notes/todo.txt\n?? ${PLAN}\n`);
  });

  it('rollback started from a subfolder keeps untracked files in other folders and its own', async () => {
    const { repo, planted } = project(plan(ONE_PASSES));
    expect((await phasegate(['run', 'p', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    const own = { ...planted, 'src/own.txt': Buffer.from('mine\n') };
    repo.write('src/own.txt', 'mine\n');
    const rolled = await phasegate(['rollback', 'base', '--yes'], { cwd: `${repo.dir}/src` });
    expect(rolled.exitCode, rolled.all).toBe(0);
    expectSentinels(repo, own, 'after the rollback');
    expect(rolled.all).not.toContain('discarded');
  });

  it('files a passing check leaves behind are kept on a discarded ref the warning names, then removed', async () => {
    const { repo, planted } = project(plan(`  - id: one
    transform:
      - replace: 'x = 1'
        with: 'x = 2'
        files: src/a.txt
    validate:
      - run: mkdir -p out && printf report > out/check.txt && printf junk >> src/a.txt
`));
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expectSentinels(repo, planted, 'after the run');
    expect(repo.exists('out/check.txt')).toBe(false);
    expect(repo.read('src/a.txt')).toBe('x = 2\n');
    expect(statusAll(repo)).toBe(`?? notes/todo.txt\n?? ${PLAN}\n`);
    expect(result.stderr).toMatch(/warning: checks of phase 'one' changed the working tree .*kept at refs\/phasegate\/p\/discarded\//);
    const ref = keptRef(repo, result.stderr, 'out/check.txt');
    expect(ref).toMatch(/^refs\/phasegate\/p\/discarded\//);
    expect(repo.git('show', `${ref}:out/check.txt`)).toBe('report');
    expect(repo.git('show', `${ref}:src/a.txt`)).toBe('x = 2\njunk');
  });
});

describe('nothing lost: a directory rename moves only what git tracks', () => {
  it('leaves untracked, ignored and plan files in the folder where they are, and moves files the phase created', async () => {
    const planText = plan(`  - id: move
    transform:
      - run: printf made > old/made.txt
      - rename: old
        to: new
    validate:
      - require: 'tracked'
        files: new/a.txt
`);
    const repo = makeRepo({ 'old/a.txt': 'tracked\n', 'old/sub/b.txt': 'b\n', '.gitignore': '.env\n' });
    const planted = plantSentinels(repo, { 'old/notes.txt': 'mine\n', 'old/.env': 'SECRET=1\n', 'old/plan.yaml': planText });
    const result = await phasegate(['run', 'old/plan.yaml', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expectSentinels(repo, planted, 'after the rename');
    expect(repo.read('new/a.txt')).toBe('tracked\n');
    expect(repo.read('new/sub/b.txt')).toBe('b\n');
    expect(repo.read('new/made.txt')).toBe('made');
    expect(repo.exists('old/a.txt') || repo.exists('old/sub')).toBe(false);
    expect(repo.git('diff', '--name-only', '--no-renames', 'phasegate/p/base', 'phasegate/p/move').trim().split('\n').sort())
      .toEqual(['new/a.txt', 'new/made.txt', 'new/sub/b.txt', 'old/a.txt', 'old/sub/b.txt']);

    const rolled = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(rolled.exitCode, rolled.all).toBe(0);
    expectSentinels(repo, planted, 'after the rollback');
    expect(repo.read('old/a.txt')).toBe('tracked\n');
    expect(repo.exists('new')).toBe(false);
  });
});

describe('nothing lost: commands that change what phasegate relies on', () => {
  it('a preflight command that writes files is refused with exit 2, naming them, and the repository is as found', async () => {
    const { repo, planted, base } = project(plan(ONE_PASSES, `preflight:
  - run: mkdir -p tmp && printf x > tmp/pre.txt && printf y >> src/a.txt
`));
    const refs = repo.refs();
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('tmp/pre.txt');
    expect(result.stderr).toContain('src/a.txt');
    expectSentinels(repo, planted, 'after the refusal');
    expect(repo.exists('tmp/pre.txt')).toBe(false);
    expect(repo.read('src/a.txt')).toBe('x = 1\n');
    expect(statusAll(repo)).toBe(`?? notes/todo.txt\n?? ${PLAN}\n`);
    expect(branchOf(repo)).toBe('main');
    expect(repo.head()).toBe(base);
    expect(repo.tags()).toEqual([]);
    expect(repo.refs().filter((ref) => !ref.startsWith('refs/phasegate/p/discarded/'))).toEqual(refs);
  });

  it('a check that moves HEAD (git reset --hard HEAD~1) fails the phase with exit 1 and the phase is restored', async () => {
    const { repo, planted, base } = project(plan(`  - id: one
    transform:
      - replace: 'x = 1'
        with: 'x = 2'
        files: src/a.txt
    validate:
      - run: git reset -q --hard HEAD~1
  - id: two
    transform:
      - replace: 'x = '
        with: 'y = '
        files: src/a.txt
`));
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toMatch(/moved HEAD|HEAD moved/);
    expectSentinels(repo, planted, 'after the run');
    expect(repo.tags()).toEqual(['phasegate/p/base']);
    expect(branchOf(repo)).toBe('phasegate/p');
    expect(repo.head()).toBe(base);
    expect(repo.read('src/a.txt')).toBe('x = 1\n');
    // The commit the check moved HEAD away from is still kept.
    expect(repo.git('show', 'refs/phasegate/p/failed/one:src/a.txt')).toBe('x = 2\n');
    expect(statusAll(repo)).toBe(`?? notes/todo.txt\n?? ${PLAN}\n`);
  });

  it('a step that switches branch fails the phase and the migration branch is checked out again', async () => {
    const { repo, planted, base } = project(plan(`  - id: one
    transform:
      - run: git checkout -q -b other
      - replace: 'x = 1'
        with: 'x = 2'
        files: src/a.txt
`));
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain('other');
    expectSentinels(repo, planted, 'after the run');
    expect(branchOf(repo)).toBe('phasegate/p');
    expect(repo.head()).toBe(base);
    expect(repo.git('rev-parse', 'phasegate/p').trim()).toBe(base);
    expect(repo.tags()).toEqual(['phasegate/p/base']);
    expect(repo.read('src/a.txt')).toBe('x = 1\n');
    expect(statusAll(repo)).toBe(`?? notes/todo.txt\n?? ${PLAN}\n`);
  });
});
