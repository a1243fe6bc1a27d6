import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';
import { tagCommit } from './helpers/git-reads.js';

/**
 * A rollback procedure that fails is not a rollback done: the branch is at the target (git's part
 * always completes), but the exit code tells CI the procedure did not, and the message names it.
 */
const plan = [
  'version: 1', 'name: p', 'files: ["**/*.py"]', 'phases:', '  - id: one', '    title: one', '    transform:',
  "      - replace: 'old'", "        with: 'new'", '    rollback:', "      - run: 'echo cleaning; exit 1'", "      - run: 'echo second >> .git/second.log'", '',
].join('\n');

describe('rollback whose rollback step fails', () => {
  it('moves the branch to the target, runs the other steps, names the failed one and exits 3', async () => {
    const repo = makeRepo({ 'app.py': 'old\n', 'plans/p.yaml': plan });
    expect((await phasegate(['run', 'p', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    const result = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(3);
    expect(result.stderr).toContain("echo cleaning; exit 1");
    expect(result.stderr).toMatch(/run (it|them) by hand/);
    expect(repo.head()).toBe(tagCommit(repo, 'p', 'base'));
    expect(repo.read('app.py')).toBe('old\n');
    expect(repo.read('.git/second.log')).toBe('second\n');
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});
