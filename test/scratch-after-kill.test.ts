import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, phasegate } from './helpers/cli.js';
import { killTree } from './helpers/process-tree.js';
import { makeRepo, tempDir } from './helpers/repo.js';

/**
 * `verify --ref`, `run --dry-run`, `rehearse` and a scratch-clone `sync` work in a clone in
 * TMPDIR (`phasegate-<what>-<pid>-XXXXXX`, a checkout of the whole repository). `kill -9` leaves
 * it there; verify takes no lock, so no later command took over from the dead one and removed it,
 * and a CI machine that kills jobs at their timeout filled its disk one clone at a time. The next
 * command that makes a scratch clone removes those whose process is gone.
 */
const plan = [
  'version: 1', 'name: slow', 'files: ["**/*.py"]', 'phases:',
  '  - id: upper', '    transform:', "      - replace: '^x = 1'", "        with: 'X = 1'",
  '    validate:',
  // Slow only when the test asks: the run that tags the phase passes at once.
  '      - run: \'if [ -n "$SLOW_CHECK" ]; then touch "$SLOW_CHECK"; sleep 60; fi\'',
  '',
].join('\n');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('kill -9 of a command working in a scratch clone', () => {
  it('the next scratch clone removes the dead one, and leaves a live one alone', async () => {
    const repo = makeRepo({ 'app.py': 'x = 1\n', 'plans/slow.yaml': plan });
    const tmp = tempDir('phasegate-test-tmpdir-');
    const env = { NO_COLOR: '1', TMPDIR: tmp };
    const run = await phasegate(['run', 'slow', '--yes', '--no-branch'], { cwd: repo.dir, env });
    expect(run.exitCode, run.all).toBe(0);

    const started = (mark: string) => execa(process.execPath, [BIN, 'verify', 'slow', '--ref', 'HEAD'], { cwd: repo.dir, reject: false, env: { ...env, SLOW_CHECK: mark } });
    const waitFor = async (mark: string) => {
      for (let i = 0; i < 1500 && !existsSync(mark); i++) await sleep(20);
      expect(existsSync(mark), 'the slow check never started').toBe(true);
    };
    const scratch = () => readdirSync(tmp).filter((name) => name.startsWith('phasegate-verify-'));

    const killedMark = path.join(tempDir(), 'killed');
    const liveMark = path.join(tempDir(), 'live');
    const killed = started(killedMark);
    const live = started(liveMark);
    try {
      await Promise.all([waitFor(killedMark), waitFor(liveMark)]);
      expect(scratch()).toHaveLength(2);
      killTree(killed.pid);
      await killed;

      const again = await phasegate(['verify', 'slow', '--ref', 'HEAD'], { cwd: repo.dir, env });
      expect(again.exitCode, again.all).toBe(0);
      // The dead one's clone is gone; the live one is still at work in its own.
      expect(scratch()).toEqual([expect.stringMatching(new RegExp(`^phasegate-verify-${live.pid}-`))]);
      expect(existsSync(path.join(tmp, scratch()[0], 'repo', 'app.py'))).toBe(true);
    } finally {
      killTree(killed.pid);
      killTree(live.pid);
    }
  }, 120_000);
});
