import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';

/**
 * Rollback started from main switches to the migration branch first. Git silently replaces an
 * ignored file there, also one where the branch adds a folder: the rollback must refuse instead
 * (exit 2, nothing changed), as sync does (git/in-the-way.ts serves both).
 */
const PLAN = `version: 1
name: gen
phases:
  - id: generate
    transform:
      - run: mkdir -p gen && echo 'x = 1' > gen/x.py
`;

describe('rollback from main with an ignored file where the migration branch adds a folder', () => {
  it('refuses (exit 2) and leaves the ignored file, the branches and the tags as they were', async () => {
    const repo = makeRepo({ 'app.py': 'print(1)\n', 'plans/gen.yaml': PLAN });
    const run = await phasegate(['run', 'gen', '--yes'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    repo.git('checkout', '-q', 'main');
    expect(repo.exists('gen')).toBe(false);
    repo.write('.git/info/exclude', 'gen\n');
    repo.write('gen', 'my ignored notes\n');
    expect(repo.git('status', '--porcelain')).toBe('');
    const refs = repo.git('for-each-ref');

    const rollback = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(rollback.exitCode, rollback.all).toBe(2);
    expect(rollback.all).toContain('gen');
    expect(repo.read('gen')).toBe('my ignored notes\n');
    expect(repo.git('for-each-ref')).toBe(refs);
    expect(repo.git('symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
  });
});
