import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, type TestRepo } from './helpers/repo.js';
import { Terminal } from './helpers/tmux.js';
import { branchOf, statusAll, tagCommit } from './helpers/git-reads.js';

/**
 * A person at a terminal: the built CLI in a real pseudo-terminal (tmux), answering the guided
 * prompts with keys. Every test checks what the repository looks like afterwards — tags, HEAD,
 * branch, files — not only what the screen said.
 */
const header = 'version: 1\nname: demo\ntitle: Demo migration\nfiles: ["**/*.py"]\nphases:\n';

const rename = `  - id: rename
    title: Rename old to new
    transform:
      - replace: 'old'
        with: 'new'
    validate:
      - forbid: 'old'
`;
const upper = `  - id: upper
    title: Upper-case x
    transform:
      - replace: '^x ='
        with: 'X ='
    validate:
      - require: '^X ='
`;
// Fails while a.py still has its TODO: the transform does not remove it.
const todos = `  - id: todos
    title: No TODOs
    transform:
      - replace: '^x ='
        with: 'X ='
    validate:
      - forbid: 'TODO'
`;

function repoWith(phases: string, files: Record<string, string> = { 'a.py': 'x = "old"\n', 'b.py': 'y = "old"\n' }): TestRepo & { base: string } {
  const repo = makeRepo({ ...files, 'plans/demo.yaml': header + phases });
  return Object.assign(repo, { base: repo.head() });
}


// The active prompt's default choice, with the cursor on it: gone from the screen once answered.
const START = '❯ Start on a new migration branch phasegate/demo';
const review = (phase: string) => new RegExp(`Phase '${phase}' changed[\\s\\S]*❯ Go on to the checks`);
const FAILED = '❯ Roll back this phase';
const PASSED = '❯ Go on with the next phase';

/** A guided run started on the migration branch (the default), waiting at the first phase's review. */
async function startedAtReview(repo: TestRepo, phase: string, env?: Record<string, string>, args: string[] = []): Promise<Terminal> {
  const term = new Terminal(['run', 'demo', ...args], { cwd: repo.dir, ...(env ? { env } : {}) });
  await term.waitFor(START);
  term.keys('Enter');
  await term.waitFor(review(phase));
  return term;
}

/** Waits (up to 20 s) for a file a step writes when it starts: the moment to press a key during it. */
async function fileAppears(repo: TestRepo, file: string): Promise<void> {
  for (let i = 0; i < 400 && !repo.exists(file); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(repo.exists(file), `${file} never appeared`).toBe(true);
}

describe('a guided run in a terminal', () => {
  it('runs the whole plan when every default is chosen', async () => {
    const repo = repoWith(rename + upper);
    const term = new Terminal(['run', 'demo'], { cwd: repo.dir });
    const start = await term.waitFor(START);
    expect(start).toContain('1. rename');
    expect(start).toContain('transform: replace old → new');
    expect(start).toContain('checks:    forbid /old/');
    expect(start).toContain('Branch: phasegate/demo (new, from main)');
    term.keys('Enter');
    const change = await term.waitFor(review('rename'));
    expect(change).toMatch(/a\.py\s+\+1 −1/);
    term.keys('Enter');
    // The tag line above the question names the tag it has made.
    expect(await term.waitFor(PASSED)).toMatch(/tag phasegate\/demo\/rename[\s\S]*passed and is tagged/);
    term.keys('Enter');
    await term.waitFor(review('upper'));
    term.keys('Enter');

    expect(await term.exitCode()).toBe(0);
    expect(await term.waitFor('result: passed')).toContain('phasegate/demo/upper');
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/rename', 'phasegate/demo/upper']);
    expect(branchOf(repo)).toBe('phasegate/demo');
    expect(repo.head()).toBe(tagCommit(repo, 'demo', 'upper'));
    expect(tagCommit(repo, 'demo', 'base')).toBe(repo.base);
    expect(repo.git('rev-parse', 'main').trim()).toBe(repo.base);
    expect(repo.read('a.py')).toBe('X = "new"\n');
    expect(repo.read('b.py')).toBe('y = "new"\n');
    expect(statusAll(repo)).toBe('');
    // Nothing but the steps made these commits: their tags say so (sync may reuse their results).
    expect(repo.git('cat-file', '-p', 'phasegate/demo/upper')).toContain('"replayable": "phasegate ');
  });

  it('rolls a failing phase back when the default is chosen', async () => {
    const repo = repoWith(todos, { 'a.py': 'x = 1\n# TODO remove\n' });
    const term = await startedAtReview(repo, 'todos');
    term.keys('Enter');
    const failed = await term.waitFor(FAILED);
    expect(failed).toContain("Phase 'todos' failed its checks");
    expect(failed).toContain('a.py:2: # TODO remove');
    term.keys('Enter');

    expect(await term.exitCode()).toBe(1);
    await term.waitFor('result: failed');
    expect(repo.tags()).toEqual(['phasegate/demo/base']);
    expect(branchOf(repo)).toBe('phasegate/demo');
    expect(repo.head()).toBe(repo.base);
    expect(repo.read('a.py')).toBe('x = 1\n# TODO remove\n');
    expect(statusAll(repo)).toBe('');
    expect(repo.refs()).toContain('refs/phasegate/demo/failed/todos');
  });

  it('runs the checks again after a fix made between prompts, and tags the phase with the fix', async () => {
    const repo = repoWith(todos, { 'a.py': 'x = 1\n# TODO remove\n' });
    const term = await startedAtReview(repo, 'todos');
    term.keys('Enter');
    await term.waitFor(FAILED);
    // The user fixes the file in another terminal while the prompt waits.
    expect(repo.read('a.py')).toBe('X = 1\n# TODO remove\n');
    repo.write('a.py', 'X = 1\n');
    term.keys('Down', 'Enter');

    expect(await term.exitCode()).toBe(0);
    await term.waitFor('result: passed');
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/todos']);
    expect(repo.head()).toBe(tagCommit(repo, 'demo', 'todos'));
    // One phase commit, amended with the fix, directly on the base.
    expect(repo.git('rev-parse', 'HEAD^').trim()).toBe(repo.base);
    expect(repo.git('log', '-1', '--format=%B')).toContain('Phasegate-Phase: todos');
    expect(repo.git('show', 'HEAD:a.py')).toBe('X = 1\n');
    expect(statusAll(repo)).toBe('');
    // The commit is no longer the steps' output alone: its tag does not vouch for a sync to reuse it.
    expect(repo.git('cat-file', '-p', 'phasegate/demo/todos')).not.toContain('"replayable"');
  });

  it('keeps a failed phase and stops, then an unattended run resumes and completes', async () => {
    const repo = repoWith(todos + rename, { 'a.py': 'x = "old"\n# TODO remove\n' });
    const term = await startedAtReview(repo, 'todos');
    term.keys('Enter');
    await term.waitFor(FAILED);
    term.keys('Down', 'Down', 'Enter');

    expect(await term.exitCode()).toBe(1);
    const summary = await term.waitFor('result: failed');
    expect(summary).toContain('not reverted');
    // The phase's line in the task list has no ✔: it was not tagged.
    expect(summary).not.toMatch(/✔ todos: /);
    expect(summary).toContain('todos: kept without a tag');
    expect(repo.tags()).toEqual(['phasegate/demo/base']);
    expect(branchOf(repo)).toBe('phasegate/demo');
    const kept = repo.head();
    expect(kept).not.toBe(repo.base);
    expect(repo.git('rev-parse', 'HEAD^').trim()).toBe(repo.base);
    expect(repo.git('log', '-1', '--format=%B')).toContain('Phasegate-Phase: todos');
    expect(repo.read('a.py')).toBe('X = "old"\n# TODO remove\n');
    expect(statusAll(repo)).toBe('');

    // Later: the person fixes what the check found, commits, and lets CI-style run finish.
    repo.write('a.py', 'X = "old"\n');
    const fix = repo.commitAll('remove the TODO');
    const resumed = await phasegate(['run', 'demo', '--yes'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/rename', 'phasegate/demo/todos']);
    expect(repo.head()).toBe(tagCommit(repo, 'demo', 'rename'));
    expect(repo.git('merge-base', '--is-ancestor', fix, tagCommit(repo, 'demo', 'todos')).trim()).toBe('');
    expect(repo.git('merge-base', '--is-ancestor', kept, fix).trim()).toBe('');
    expect(repo.read('a.py')).toBe('X = "new"\n');
    expect(statusAll(repo)).toBe('');
  });

  it('restores the checkpoint and exits 130 on Ctrl-C at a prompt', async () => {
    const repo = repoWith(rename + upper);
    const term = await startedAtReview(repo, 'rename');
    // The phase commit exists while the prompt waits.
    expect(repo.git('rev-parse', 'HEAD^').trim()).toBe(repo.base);
    term.keys('C-c');

    expect(await term.exitCode()).toBe(130);
    const screen = await term.waitFor('result: interrupted');
    expect(screen).toContain('the last checkpoint was restored');
    expect(repo.tags()).toEqual(['phasegate/demo/base']);
    expect(branchOf(repo)).toBe('phasegate/demo');
    expect(repo.head()).toBe(repo.base);
    expect(repo.read('a.py')).toBe('x = "old"\n');
    expect(statusAll(repo)).toBe('');
  });

  it('changes nothing and exits 130 on Ctrl-C at the start prompt', async () => {
    const repo = repoWith(rename);
    const term = new Terminal(['run', 'demo'], { cwd: repo.dir });
    await term.waitFor(START);
    term.keys('C-c');

    expect(await term.exitCode()).toBe(130);
    await term.waitFor('nothing was changed');
    expect(repo.tags()).toEqual([]);
    expect(branchOf(repo)).toBe('main');
    expect(repo.git('branch', '--list', 'phasegate/*').trim()).toBe('');
    expect(repo.head()).toBe(repo.base);
    expect(statusAll(repo)).toBe('');
  });

  it('restores the checkpoint and exits 130 on Ctrl-C while a check runs', async () => {
    const repo = repoWith(`  - id: slow
    transform:
      - replace: 'old'
        with: 'new'
    validate:
      - run: 'echo started-slow-check; sleep 30'
        name: slow check
`);
    const term = await startedAtReview(repo, 'slow');
    term.keys('Enter');
    await term.waitFor('started-slow-check');
    term.keys('C-c');

    expect(await term.exitCode(10_000)).toBe(130);
    await term.waitFor('result: interrupted');
    expect(repo.tags()).toEqual(['phasegate/demo/base']);
    expect(repo.head()).toBe(repo.base);
    expect(repo.read('a.py')).toBe('x = "old"\n');
    expect(statusAll(repo)).toBe('');
  });

  it('shows the full diff and asks again', async () => {
    const repo = repoWith(rename);
    const term = await startedAtReview(repo, 'rename', { GIT_PAGER: 'cat' });
    term.keys('Down', 'Enter');
    const diff = await term.waitFor(/\+y = "new"[\s\S]*❯ Go on to the checks/);
    expect(diff).toContain('-x = "old"');
    expect(diff).toContain('2 files changed, 2 insertions(+), 2 deletions(-)');
    term.keys('Enter');

    expect(await term.exitCode()).toBe(0);
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/rename']);
    expect(repo.head()).toBe(tagCommit(repo, 'demo', 'rename'));
    expect(repo.read('a.py')).toBe('x = "new"\n');
  });

  it('opens a shell in the repository, then runs the checks again with what was fixed there', async () => {
    const repo = repoWith(todos, { 'a.py': 'x = 1\n# TODO remove\n' });
    const term = await startedAtReview(repo, 'todos');
    term.keys('Enter');
    await term.waitFor(FAILED);
    term.keys('Down', 'Down', 'Down', 'Enter');
    await term.waitFor("Type 'exit' to come back");
    term.keys("pwd; printf 'X = 1\\n' > a.py; echo fixed-in-$PHASEGATE_PHASE", 'Enter');
    await term.waitFor('fixed-in-todos');
    expect(term.screen()).toContain(repo.dir);
    term.keys('exit', 'Enter');
    await term.waitFor(/back from the shell[\s\S]*❯ Roll back this phase/);
    term.keys('Down', 'Enter');

    expect(await term.exitCode()).toBe(0);
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/todos']);
    expect(repo.head()).toBe(tagCommit(repo, 'demo', 'todos'));
    expect(repo.git('rev-parse', 'HEAD^').trim()).toBe(repo.base);
    expect(repo.read('a.py')).toBe('X = 1\n');
    expect(statusAll(repo)).toBe('');
  });

  it('stops after a passing phase when asked, and a later guided run picks up the next phase', async () => {
    const repo = repoWith(rename + upper);
    const first = await startedAtReview(repo, 'rename');
    first.keys('Enter');
    await first.waitFor(PASSED);
    first.keys('Down', 'Enter');
    expect(await first.exitCode()).toBe(0);
    await first.waitFor('result: stopped');
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/rename']);
    expect(repo.head()).toBe(tagCommit(repo, 'demo', 'rename'));

    const second = new Terminal(['run', 'demo'], { cwd: repo.dir });
    const start = await second.waitFor('❯ Start on the current branch phasegate/demo');
    expect(start).toMatch(/✔ 1\. rename .*tagged, done/);
    second.keys('Enter');
    await second.waitFor(review('upper'));
    second.keys('Enter');
    expect(await second.exitCode()).toBe(0);
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/rename', 'phasegate/demo/upper']);
    expect(repo.head()).toBe(tagCommit(repo, 'demo', 'upper'));
  });

  it('Ctrl-C at the prompt after a phase passed leaves that phase passed and tagged, in the summary and the report', async () => {
    const repo = repoWith(rename + upper);
    const report = `${repo.dir}/../report-${process.pid}.json`;
    const term = await startedAtReview(repo, 'rename', undefined, ['--report', report]);
    term.keys('Enter');
    await term.waitFor(PASSED);
    term.keys('C-c');
    expect(await term.exitCode()).toBe(130);
    const screen = await term.waitFor('result: interrupted');
    expect(screen).toMatch(/✔ rename +passed/);
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/rename']);
    expect(repo.head()).toBe(tagCommit(repo, 'demo', 'rename'));
    const phases = (JSON.parse(readFileSync(report, 'utf8')) as { phases: { id: string; status: string; tag?: string }[] }).phases;
    expect(phases[0]).toMatchObject({ id: 'rename', status: 'passed', tag: 'phasegate/demo/rename' });
  });

  it('Ctrl-C while a failed phase\'s rollback step runs stops that step', async () => {
    const slowRollback = todos + '    rollback:\n      - run: touch .git/step-started; sleep 30; touch .git/step-finished\n';
    const repo = repoWith(slowRollback, { 'a.py': 'x = 1  # TODO\n' });
    const term = await startedAtReview(repo, 'todos');
    term.keys('Enter');
    await term.waitFor(FAILED);
    term.keys('Enter');
    await fileAppears(repo, '.git/step-started');
    term.keys('C-c');
    expect(await term.exitCode()).toBe(130);
    // Stopped, not waited for: the step never got to its end.
    expect(repo.exists('.git/step-finished')).toBe(false);
    expect(repo.head()).toBe(repo.base);
    expect(statusAll(repo)).toBe('');
  });

  it('a plan overview taller than the terminal is cut to fit, so moving through the choices leaves no copies of it behind', async () => {
    const many = Array.from({ length: 12 }, (_, index) => rename.replace('id: rename', `id: phase-${index}`)).join('');
    const repo = repoWith(many);
    const term = new Terminal(['run', 'demo'], { cwd: repo.dir, size: { columns: 80, rows: 24 } });
    await term.waitFor(START);
    for (const key of ['Down', 'Up', 'Down', 'Up']) {
      term.keys(key);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await term.waitFor(START);
    const copies = term.history().split('\n').filter((line) => line.includes("Plan 'demo'")).length;
    expect(copies, term.history()).toBe(1);
    expect(term.screen()).toMatch(/… \d+ more lines/);
    term.keys('Down', 'Down', 'Enter');
    expect(await term.exitCode()).toBe(0);
  });

  it('an Enter pressed while a step still runs does not answer the review that comes after it', async () => {
    const slow = rename.replace("    transform:\n", "    transform:\n      - run: touch .git/step-started; sleep 3\n");
    const repo = repoWith(slow);
    const term = new Terminal(['run', 'demo'], { cwd: repo.dir });
    await term.waitFor(START);
    term.keys('Enter');
    await fileAppears(repo, '.git/step-started');
    term.keys('Enter');
    // The review is shown and waits: the early Enter was not taken as its answer.
    await term.waitFor(review('rename'));
    expect(term.exited()).toBeUndefined();
    expect(repo.tags()).toEqual(['phasegate/demo/base']);
    term.keys('Enter');
    expect(await term.exitCode()).toBe(0);
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/rename']);
  });

  it('never waits for input without a terminal, even without --yes', async () => {
    const repo = repoWith(rename);
    const result = await phasegate(['run', 'demo'], { cwd: repo.dir, timeout: 30_000 });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).not.toContain('Start the migration?');
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/rename']);
    expect(branchOf(repo)).toBe('phasegate/demo');
  });

  it('never waits for input in a terminal when CI is set', async () => {
    const repo = repoWith(rename);
    const term = new Terminal(['run', 'demo'], { cwd: repo.dir, env: { CI: 'true' } });
    expect(await term.exitCode()).toBe(0);
    expect(term.screen()).not.toContain('Start the migration?');
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/rename']);
    expect(branchOf(repo)).toBe('phasegate/demo');
  });
});

describe('a guided rollback in a terminal', () => {
  it('lists what will be undone and does nothing unless the user says yes', async () => {
    const repo = repoWith(rename + upper);
    expect((await phasegate(['run', 'demo', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    const end = repo.head();

    const declined = new Terminal(['rollback', 'base'], { cwd: repo.dir });
    const listing = await declined.waitFor('Roll back to phasegate/demo/base: undo 2 phases, newest first');
    expect(listing).toMatch(/↩ upper — Upper-case x \(1 commit, 1 file\)/);
    expect(listing).toMatch(/↩ rename — Rename old to new \(1 commit, 2 files\)/);
    declined.keys('Enter');
    expect(await declined.exitCode()).toBe(0);
    expect(repo.head()).toBe(end);
    expect(repo.tags()).toHaveLength(3);

    const accepted = new Terminal(['rollback', 'rename'], { cwd: repo.dir });
    await accepted.waitFor('Roll back to phasegate/demo/rename: undo 1 phase');
    accepted.keys('y', 'Enter');
    expect(await accepted.exitCode()).toBe(0);
    expect(repo.head()).toBe(tagCommit(repo, 'demo', 'rename'));
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/rename']);
    expect(statusAll(repo)).toBe('');
  });
});
