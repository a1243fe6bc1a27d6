import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { snapshot } from './helpers/snapshot.js';
import { migrated, onMain, planRefs } from './helpers/sync-repo.js';

/**
 * A sync whose move fails in the process (not a crash) undoes itself through its journal right
 * away: nothing is left for the next command, and what the user has stays as it is.
 */
describe('a sync whose move into the working tree is refused', () => {
  it('an untracked file where the rebuild has one: exit 2, nothing moved, the file untouched, no journal left', async () => {
    const repo = await migrated();
    onMain(repo, () => repo.write('app/c.py', 'from old.mod import thing\n'));
    // Untracked on the migration branch, tracked on main: the move would overwrite it.
    repo.write('app/c.py', 'mine, not committed\n');
    const before = snapshot(repo);
    const refs = planRefs(repo);
    const result = await phasegate(['sync', 'mig', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('could not be put in place');
    expect(planRefs(repo)).toEqual(refs);
    expect(repo.read('app/c.py')).toBe('mine, not committed\n');
    const after = snapshot(repo);
    expect({ ...after, refs: '' }).toEqual({ ...before, refs: '' });
    expect(existsSync(path.join(repo.dir, '.git', 'phasegate', 'journal.json'))).toBe(false);
    expect(repo.refs().filter((ref) => ref.includes('/sync-work/') || ref.includes('/synced/'))).toEqual([]);
    const status = await phasegate(['status', 'mig'], { cwd: repo.dir });
    expect(status.stdout).not.toContain('INTERRUPTED');
  });
});
