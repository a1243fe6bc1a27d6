import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir } from './helpers/repo.js';
import { expectGitSentinels, expectSentinels, IGNORE_BUILD, plantGitSentinels, plantSentinels } from './helpers/sentinels.js';

/**
 * Issue 15, figure 1: the first phase of an unattended run takes HEAD and the tracked files from
 * what the run read at start instead of asking git again. The shortcut must give way the moment it
 * could be wrong (an index written since the start listing); a checkpoint moves HEAD only from the
 * commit its phase began on, and what another git committed meanwhile is kept, never lost.
 */

/** A `git` first on PATH that logs each command and, once, runs `action` (real git, in the repository) before a command matching `when`. */
function loggingGit(action?: { when: string; run: string }): { bin: string; log: string } {
  const dir = tempDir('phasegate-gitlog-');
  const bin = path.join(dir, 'bin');
  const log = path.join(dir, 'git.log');
  const done = path.join(dir, 'done');
  mkdirSync(bin);
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const trigger = action
    ? `case "$*" in *'${action.when}'*) if [ ! -e '${done}' ]; then : > '${done}'; REAL_GIT='${realGit}' sh -c '${action.run}'; fi;; esac\n`
    : '';
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nprintf 'git %s\\n' "$*" | head -c 200 >> '${log}'\nprintf '\\n' >> '${log}'\n${trigger}exec '${realGit}' "$@"\n`);
  chmodSync(path.join(bin, 'git'), 0o755);
  return { bin, log };
}

const plan = (hook?: string) => [
  'version: 1', 'name: p',
  ...(hook ? ['hooks:', `  before-phase: "${hook}"`] : []),
  'phases:', '  - id: one', '    transform:', "      - replace: 'old_call'", "        with: 'new_call'", '',
].join('\n');

function gitLines(log: string): string[] {
  return readFileSync(log, 'utf8').split('\n').filter((line) => line.startsWith('git '));
}

describe('the first phase reuses what the run read at start, and only while it still holds', () => {
  it('an unattended replace phase lists the index and asks HEAD once, and commits on the commit it began from', async () => {
    const { bin, log } = loggingGit();
    const repo = makeRepo({ 'src/a.py': 'old_call()\n', 'src/b.py': 'keep()\n', 'plans/p.yaml': plan() });
    const start = repo.head();
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir, env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.read('src/a.py')).toBe('new_call()\n');
    expect(repo.git('rev-parse', 'phasegate/p/one^{commit}^').trim()).toBe(start);
    // Up to the step's own staging (update-index), where the phase's work begins.
    const all = gitLines(log);
    const asked = all.slice(0, all.findIndex((line) => line.includes(' update-index ')));
    expect(asked.length, all.join('\n')).toBeGreaterThan(0);
    expect(asked.filter((line) => /ls-files (-z --cached|-v -z)/.test(line)), asked.join('\n')).toHaveLength(1);
    expect(asked.filter((line) => / rev-parse (--verify )?HEAD/.test(line)), asked.join('\n')).toHaveLength(1);
  });

  it('a before-phase hook that stages a new file: the phase lists the index again and the step rewrites that file too', async () => {
    const { bin, log } = loggingGit();
    const repo = makeRepo({ 'src/a.py': 'old_call()\n', 'plans/p.yaml': plan("printf 'old_call()\\\\n' > src/new.py && git add src/new.py") });
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir, env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.read('src/a.py')).toBe('new_call()\n');
    expect(repo.read('src/new.py')).toBe('new_call()\n');
    expect(repo.git('show', 'phasegate/p/one:src/new.py')).toBe('new_call()\n');
    expect(gitLines(log).filter((line) => line.includes(' ls-files -z --cached')), gitLines(log).join('\n')).toHaveLength(1);
  });

  it('another git commits just before the checkpoint: phasegate neither builds on that commit nor loses it', async () => {
    // Another process commits everything (phasegate's staged rewrite too) just before the checkpoint's tree is written.
    const { bin } = loggingGit({ when: 'write-tree', run: 'printf "theirs\\n" > docs/todo.txt && "$REAL_GIT" commit -q -am elsewhere' });
    const repo = makeRepo({ 'src/a.py': 'old_call()\n', 'docs/todo.txt': 'mine\n', '.gitignore': IGNORE_BUILD, 'plans/p.yaml': plan() });
    const stashAndBranch = plantGitSentinels(repo, 'src/a.py');
    const planted = plantSentinels(repo, { 'scratch/untracked.md': 'keep me\n' });
    const start = repo.head();
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir, env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain('work kept at refs/phasegate/p/failed/one');
    // The other commit is in the history of the work kept where the report says, with everything it holds.
    const history = repo.git('log', '--format=%H %s', 'refs/phasegate/p/failed/one').trim().split('\n');
    const elsewhere = history.find((line) => line.endsWith(' elsewhere'))?.split(' ')[0];
    expect(elsewhere, history.join('\n')).toBeDefined();
    expect(repo.git('rev-parse', `${elsewhere}^`).trim()).toBe(start);
    expect(repo.git('show', `${elsewhere}:docs/todo.txt`)).toBe('theirs\n');
    // The branch is back at its start, the tree with it; untracked and ignored files, the stash and the other branch are untouched; no tag.
    expect(repo.head()).toBe(start);
    expect(repo.read('src/a.py')).toBe('old_call()\n');
    expect(repo.read('docs/todo.txt')).toBe('mine\n');
    expectSentinels(repo, planted, 'after the revert');
    expectGitSentinels(repo, stashAndBranch, 'after the revert');
    expect(repo.git('status', '--porcelain')).toBe('?? notes/\n?? scratch/\n');
    expect(repo.tags()).not.toContain('phasegate/p/one');
  });
});
