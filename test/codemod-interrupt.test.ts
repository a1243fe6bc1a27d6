import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';
import { astGrepUnder, CALLS_PLAN, manyCalls } from './helpers/busy-codemod.js';
import { isRunning, killTree } from './helpers/process-tree.js';
import { makeRepo } from './helpers/repo.js';

/**
 * A codemod step hands its files to ast-grep's CLI, a child process of its own. Ctrl-C while the
 * CLI works must stop it too (its process group is killed), restore the checkpoint and exit 130 —
 * the same promise as for a long check. The input is large enough that the CLI is still busy
 * when the test sees it: on this 2-core machine it needs about 10 s of work (19 s of CPU), so a CLI
 * left to finish (not killed) is still running 5 s after Ctrl-C; a killed one is gone at once.
 */
const FILES = manyCalls(25_000, 40);

describe('Ctrl-C during a codemod step', () => {
  it('stops ast-grep\'s CLI, restores the checkpoint and exits 130', async () => {
    const repo = makeRepo({ ...FILES, 'plans/calls.yaml': CALLS_PLAN });
    const base = repo.head();
    const child = execa(process.execPath, [BIN, 'run', 'calls', '--yes', '--no-branch'], { cwd: repo.dir, reject: false, env: { NO_COLOR: '1' } });
    let cli: number | undefined;
    try {
      for (let i = 0; i < 1200 && cli === undefined && child.exitCode === null; i++) {
        cli = astGrepUnder(child.pid!);
        if (cli === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(cli, 'ast-grep did not start within 30 s').toBeDefined();
      child.kill('SIGINT');
      for (let i = 0; i < 200 && isRunning(cli!); i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(isRunning(cli!), 'ast-grep still runs 5 s after Ctrl-C: it was left to finish, not stopped').toBe(false);
      const result = await child;
      expect(result.exitCode, result.all).toBe(130);
      expect(repo.head()).toBe(base);
      expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    } finally {
      killTree(child.pid);
      if (cli) killTree(cli);
    }
  }, 120_000);
});
