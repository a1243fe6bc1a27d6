import { describe, expect, it } from 'vitest';
import { BRANCH, migrated, onMain, planRefs } from './helpers/sync-repo.js';
import { Terminal } from './helpers/tmux.js';

/** A guided sync (a terminal, no --yes) asks at a phase that does more, showing the diff of diffs. */
const QUESTION = "Phase 'imports' is more on the new base. Go on with the sync?";

describe('a guided sync in a terminal', () => {
  it('stops when the default (no) is chosen at a phase that does more: nothing moves, exit 1', async () => {
    const repo = await migrated();
    onMain(repo, () => repo.write('app/c.py', 'from old.mod import thing\n'));
    const before = planRefs(repo);
    const term = new Terminal(['sync', 'mig'], { cwd: repo.dir });
    const screen = await term.waitFor(QUESTION, 60_000);
    expect(screen).toContain('── app/c.py');
    expect(screen).toContain('before: (not changed)');
    expect(screen).toContain('+from new.mod import thing');
    term.keys('Enter');
    expect(await term.exitCode(60_000)).toBe(1);
    expect(await term.waitFor('you chose to stop')).toContain('phasegate/mig and its tags are unchanged');
    expect(planRefs(repo)).toEqual(before);
  });

  it('goes on when told to, and moves the branch', async () => {
    const repo = await migrated();
    onMain(repo, () => repo.write('app/c.py', 'from old.mod import thing\n'));
    const term = new Terminal(['sync', 'mig'], { cwd: repo.dir });
    await term.waitFor(QUESTION, 60_000);
    term.keys('y', 'Enter');
    expect(await term.exitCode(60_000)).toBe(0);
    expect(repo.read('app/c.py')).toBe('from new.mod import thing\n');
    expect(repo.git('merge-base', '--is-ancestor', 'main', BRANCH)).toBe('');
  });
});
