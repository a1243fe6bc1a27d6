import { readdirSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, phasegate } from './helpers/cli.js';
import { astGrepUnder, CALLS_PLAN, manyCalls } from './helpers/busy-codemod.js';
import { isRunning, killTree } from './helpers/process-tree.js';
import { makeRepo, tempDir } from './helpers/repo.js';

/**
 * A codemod step gives ast-grep's CLI a config file in a temporary folder of its own. `kill -9`
 * while the CLI works leaves that folder in TMPDIR: the next phasegate command, taking over the
 * dead one's lock, removes the temporary folders named with its pid (engine/scratch/folder.ts),
 * so the folder must carry it. Found by `npm run torture -- --command sync` (a sync killed during
 * the codemod phase's replay left `phasegate-ast-grep-XXXXXX` behind, for good).
 */

/** Enough calls that the CLI works for a second or two: long enough to be caught at it. */
const FILES = manyCalls(6_000, 8);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('kill -9 during a codemod step', () => {
  it('the next command removes the temporary folder the killed one gave ast-grep', async () => {
    const repo = makeRepo({ ...FILES, 'plans/calls.yaml': CALLS_PLAN });
    const tmp = tempDir('phasegate-test-tmpdir-');
    const env = { NO_COLOR: '1', TMPDIR: tmp };
    const child = execa(process.execPath, [BIN, 'run', 'calls', '--yes', '--no-branch'], { cwd: repo.dir, reject: false, env });
    let caught = false;
    try {
      // Caught only while the CLI still runs with phasegate stopped: phasegate is then inside the
      // step, before the folder is removed. Otherwise let it go on and look again (a later pass).
      for (let i = 0; i < 3000 && !caught && child.exitCode === null; i++) {
        const cli = astGrepUnder(child.pid!);
        if (cli !== undefined) {
          process.kill(child.pid!, 'SIGSTOP');
          if (isRunning(cli)) caught = true;
          else process.kill(child.pid!, 'SIGCONT');
        }
        if (!caught) await sleep(10);
      }
      expect(caught, 'phasegate was never caught while ast-grep ran').toBe(true);
      killTree(child.pid);
      await child;
    } finally {
      killTree(child.pid);
    }
    expect(readdirSync(tmp).filter((name) => name.startsWith('phasegate-ast-grep-'))).toHaveLength(1);

    const status = await phasegate(['status', 'calls'], { cwd: repo.dir, env });
    expect(status.exitCode, status.all).toBe(0);
    const again = await phasegate(['run', 'calls', '--yes', '--no-branch'], { cwd: repo.dir, env, timeout: 90_000 });
    expect(again.exitCode, again.all).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);
});
