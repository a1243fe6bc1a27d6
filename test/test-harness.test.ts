import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_TIMEOUT_MS, phasegate } from './helpers/cli.js';
import { isRunning } from './helpers/process-tree.js';
import { makeRepo, tempDir } from './helpers/repo.js';

/** The harness the behaviour tests stand on: a hung CLI ends the test with a clear failure and leaves nothing running. */
describe('the CLI helper', () => {
  it('gives up on a hung CLI before vitest gives up on the test', () => {
    expect(CLI_TIMEOUT_MS).toBeLessThan(60_000 - 10_000);
  });

  it('kills a CLI that does not finish in time, and the checks it started, and says so', async () => {
    const pidFile = path.join(tempDir(), 'pid');
    const plan = `version: 1\nname: hang\nphases:\n  - id: wait\n    validate:\n      - run: sleep 120 & echo $! > ${pidFile}; wait\n        timeout: 5m\n`;
    const repo = makeRepo({ 'a.txt': 'a\n', 'plans/hang.yaml': plan });
    // Long enough for a loaded machine to start the CLI and reach the check (5 s was not, once).
    await expect(phasegate(['run', 'hang', '--yes'], { cwd: repo.dir, timeout: 20_000 })).rejects.toThrow(/phasegate run hang --yes did not finish within 20 s; it and its child processes were killed/);
    expect(existsSync(pidFile), 'the CLI was killed before its check started').toBe(true);
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    expect(sleeper).toBeGreaterThan(0);
    // SIGKILL is immediate; the orphan may stay a zombie until init reaps it, which is not "running".
    for (let i = 0; i < 100 && isRunning(sleeper); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isRunning(sleeper)).toBe(false);
  });
});
