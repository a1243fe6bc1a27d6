import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CALLS_PLAN } from './helpers/busy-codemod.js';
import { BIN, phasegate } from './helpers/cli.js';
import { recordGitCalls } from './helpers/git-calls.js';
import { killTree, processTree } from './helpers/process-tree.js';
import { makeRepo, type TestRepo } from './helpers/repo.js';
import { expectGitSentinels, expectSentinels, IGNORE_BUILD, plantGitSentinels, plantSentinels } from './helpers/sentinels.js';

/**
 * Issue 15: `git add -A` after the steps walked the whole working tree for new and deleted files
 * (about 0.2 s at 20,000 files), which a `replace` never makes. An unattended phase whose steps are
 * all `replace` hands each file to `git update-index --stdin` as it is written (on the other core)
 * and commits that index (git/streamed-staging.ts). The checkpoint must be exactly what `add -A`
 * would have made, a failed or killed phase must come back as before, and anything else — a
 * rename, a person reviewing — stages with `add -A` as before.
 */
const twoReplaces = [
  'version: 1', 'name: p', 'files: ["**/*.py"]', 'phases:',
  '  - id: calls', '    transform:',
  "      - replace: 'old_call\\('", "        with: 'new_call('",
  // The same files again: git must stage their last content.
  "      - replace: 'new_call\\(1\\)'", "        with: 'new_call(one)'",
  '',
].join('\n');

function files(count: number): Record<string, string> {
  const made: Record<string, string> = { 'plans/p.yaml': twoReplaces, 'README.md': 'old_call(1) in prose is not in scope\n' };
  for (let index = 0; index < count; index++) made[`app/m${index}.py`] = index % 3 === 0 ? `x = old_call(1)\ny = ${index}\n` : `y = ${index}\n`;
  return made;
}

const expected = (text: string) => text.replace(/old_call\(/g, 'new_call(').replace(/new_call\(1\)/g, 'new_call(one)');

/**
 * Every tracked file as the plan's steps make it, in the working tree and committed: git finds
 * nothing between HEAD, the index and the working tree (it compares the contents of any file
 * whose stat data cannot tell), and the first files are also read from the commit itself.
 */
function expectCommittedAsWritten(repo: TestRepo, original: Record<string, string>): void {
  expect(repo.git('status', '--porcelain', '--untracked-files=no')).toBe('');
  const python = Object.entries(original).filter(([file]) => file.endsWith('.py'));
  for (const [file, text] of python) expect(repo.read(file), file).toBe(expected(text));
  for (const [file, text] of python.slice(0, 6)) expect(repo.git('show', `HEAD:${file}`), file).toBe(expected(text));
}

/**
 * A repository with what a user keeps beside the project: an untracked file in scope and one in an
 * untracked folder, ignored files, a stash and another branch; `expectKept` checks them byte for byte.
 */
function userRepo(made: Record<string, string>): { repo: TestRepo; expectKept(when: string): void } {
  const repo = makeRepo({ ...made, '.gitignore': IGNORE_BUILD });
  const gitPlanted = plantGitSentinels(repo, 'app/m1.py');
  const planted = plantSentinels(repo, { 'app/untracked_draft.py': 'z = old_call(1)\n', 'build/out.py': 'old_call(1)\n' });
  return {
    repo,
    expectKept: (when) => {
      expectSentinels(repo, planted, when);
      expectGitSentinels(repo, gitPlanted, when);
    },
  };
}

/** Runs the plan unattended; how the checkpoint was staged: by `update-index --stdin`, by `add -A`. */
async function runStaging(repo: TestRepo, plan: string): Promise<{ streamed: number; addAll: number }> {
  const git = recordGitCalls();
  const result = await phasegate(['run', plan, '--yes', '--no-branch'], { cwd: repo.dir, env: git.env });
  expect(result.exitCode, result.all).toBe(0);
  return {
    streamed: git.calls().filter((call) => / update-index -z --stdin$/.test(` ${call}`)).length,
    addAll: git.calls().filter((call) => / add -A /.test(` ${call} `)).length,
  };
}

describe('a replace-only phase stages its files as it writes them', () => {
  it('commits exactly what the steps wrote, without git add -A; untracked and ignored files stay out, and a rollback undoes it', async () => {
    const original = files(30);
    const { repo, expectKept } = userRepo(original);

    expect(await runStaging(repo, 'p')).toEqual({ streamed: 1, addAll: 0 });
    expectCommittedAsWritten(repo, original);
    expect(repo.git('show', '--shortstat', '--format=', 'HEAD').trim()).toMatch(/^10 files changed/);
    expectKept('after the phase');
    expect(repo.git('ls-files', 'app/untracked_draft.py', 'build')).toBe('');

    const rollback = await phasegate(['rollback', 'base', '--plan', 'p', '--yes'], { cwd: repo.dir });
    expect(rollback.exitCode, rollback.all).toBe(0);
    expect(repo.read('app/m0.py')).toBe(original['app/m0.py']);
    expect(repo.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    expectKept('after the rollback');
  });

  it('a codemod phase too, including the files a second pass rewrites again (a call nested in a call)', async () => {
    const repo = makeRepo({
      'plans/calls.yaml': CALLS_PLAN,
      'app/a.py': 'n = WebSocketNotifier(emitter, 1)\n',
      'app/nested.py': 'n = WebSocketNotifier(WebSocketNotifier(emitter, 2), 3)\n',
      'app/plain.py': '# WebSocketNotifier(emitter) in a comment\nclass WebSocketNotifier(Base):\n    pass\n',
    });
    expect(await runStaging(repo, 'calls')).toEqual({ streamed: 1, addAll: 0 });
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.git('show', 'HEAD:app/nested.py')).toBe('n = WebSocketNotifier.create_for_user(WebSocketNotifier.create_for_user(emitter, 2), 3)\n');
    expect(repo.git('show', 'HEAD:app/a.py')).toBe('n = WebSocketNotifier.create_for_user(emitter, 1)\n');
    expect(repo.git('diff', '--name-only', 'HEAD~1', 'HEAD')).toBe('app/a.py\napp/nested.py\n');
  });

  it('a phase with a rename stages with git add -A, as before', async () => {
    const plan = twoReplaces.replace("      - replace: 'new_call", "      - rename: app/m1.py\n        to: app/moved.py\n      - replace: 'new_call");
    const repo = makeRepo({ ...files(6), 'plans/p.yaml': plan });
    expect(await runStaging(repo, 'p')).toEqual({ streamed: 0, addAll: 1 });
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.git('ls-files', 'app/moved.py')).toBe('app/moved.py\n');
  });

  it('a failed check reverts the phase: the tree and index as they were, the work kept on the failed ref', async () => {
    const plan = `${twoReplaces}    validate:\n      - forbid: 'new_call\\(one\\)'\n`.replace('\n\n    validate', '\n    validate');
    const original = { ...files(12), 'plans/p.yaml': plan };
    const { repo, expectKept } = userRepo(original);
    const start = repo.git('rev-parse', 'HEAD').trim();
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(repo.git('rev-parse', 'HEAD').trim()).toBe(start);
    // Nothing but the user's own untracked files (the ignored ones are not listed).
    expect(repo.git('status', '--porcelain')).toBe('?? app/untracked_draft.py\n?? notes/\n');
    expect(repo.read('app/m0.py')).toBe(original['app/m0.py']);
    expect(repo.git('show', 'refs/phasegate/p/failed/calls:app/m0.py')).toBe(expected(original['app/m0.py']));
    expectKept('after the revert');
  });

  it('kill -9 while git stages: the next run recovers and makes the same checkpoint', async () => {
    const original = files(3000);
    const { repo, expectKept } = userRepo(original);
    const child = execa(process.execPath, [BIN, 'run', 'p', '--yes', '--no-branch'], { cwd: repo.dir, reject: false, env: { NO_COLOR: '1' } });
    let caught = false;
    try {
      // Stopped while `git update-index --stdin` is at work (the step is writing files), then killed with it.
      for (let i = 0; i < 2000 && !caught && child.exitCode === null; i++) {
        if (processTree(child.pid!).some((pid) => commandLine(pid).includes('update-index'))) {
          process.kill(child.pid!, 'SIGSTOP');
          caught = true;
        }
      }
      expect(caught, 'phasegate was never caught while git staged').toBe(true);
    } finally {
      killTree(child.pid);
      await child;
    }
    const again = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toMatch(/interrupted/);
    expectCommittedAsWritten(repo, original);
    expectKept('after the recovery');
  }, 90_000);
});

function commandLine(pid: number): string {
  try {
    return readFileSync(path.join('/proc', String(pid), 'cmdline'), 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
