import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { recordGitCalls } from './helpers/git-calls.js';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';

/**
 * `run` and `rollback` start `git status` before their modules load (git/early-status.ts). git
 * holds `index.lock` while its status compares the tree (and writes back what it refreshed), so
 * the check for "another git is using this repository" must not mistake phasegate's own status
 * for one: it waited, then asked everything again, and refused outright when the status took
 * longer than the lock wait (3 s).
 *
 * A real slow status, no fake git: the repository has a submodule whose fsmonitor hook takes 2 s,
 * so the outer `git status` holds the index lock about 4 s while it asks the submodule.
 */
const plan = [
  'version: 1', 'name: slow', 'files: ["**/*.py"]', 'phases:',
  '  - id: rename-x', '    transform:', "      - replace: '^x = 1'", "        with: 'y = 1'",
  '',
].join('\n');

function repoWithSlowStatus(): TestRepo {
  const sub = makeRepo({ 'notes.txt': 'a submodule\n' });
  const repo = makeRepo({ 'app.py': 'x = 1\n', 'plans/slow.yaml': plan });
  repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'vendor/sub');
  repo.commitAll('add a submodule');
  const hook = path.join(tempDir('phasegate-fsmonitor-'), 'slow-fsmonitor.sh');
  // Exit 1: "no answer", so git checks every file itself, after the wait.
  writeFileSync(hook, '#!/bin/sh\nsleep 2\nexit 1\n');
  chmodSync(hook, 0o755);
  repo.git('-C', 'vendor/sub', 'config', 'core.fsmonitor', hook);
  return repo;
}

const statusCalls = (calls: string[]) => calls.filter((call) => / status --porcelain/.test(` ${call}`));

describe("phasegate's own git status is not another git holding the index", () => {
  it('run and rollback go ahead, asking git status once each, while the status holds index.lock for 4 s', async () => {
    const repo = repoWithSlowStatus();
    const git = recordGitCalls();

    const run = await phasegate(['run', 'plans/slow.yaml', '--yes', '--no-branch'], { cwd: repo.dir, env: git.env });
    expect(run.all).not.toMatch(/index\.lock/);
    expect(run.exitCode).toBe(0);
    expect(repo.read('app.py')).toBe('y = 1\n');
    expect(statusCalls(git.calls())).toHaveLength(1);

    const before = git.calls().length;
    const rollback = await phasegate(['rollback', 'base', '--plan', 'slow', '--yes'], { cwd: repo.dir, env: git.env });
    expect(rollback.all).not.toMatch(/index\.lock/);
    expect(rollback.exitCode).toBe(0);
    expect(repo.read('app.py')).toBe('x = 1\n');
    expect(statusCalls(git.calls().slice(before))).toHaveLength(1);
  }, 60_000);
});
