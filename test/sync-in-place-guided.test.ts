import { describe, expect, it } from 'vitest';
import { expectSentinels } from './helpers/sentinels.js';
import { migratedAndMoved } from './helpers/sync-in-place.js';
import { BRANCH, tagCommit } from './helpers/sync-repo.js';
import { Terminal } from './helpers/tmux.js';

/**
 * A guided sync that replays in place (the migration branch checked out) names the user's own
 * working tree at a failed phase: a fix made there by hand is what "run the checks again" commits,
 * and the sync then ends on the branch with the fix.
 */
const FIXED = 'from new.mod import thing\nlog(thing, 1)\n';

describe('a guided in-place sync at a phase whose checks fail', () => {
  it('names the user\'s own working tree; a fix by hand there and "run the checks again" go into the synced branch', async () => {
    const { repo, planted } = await migratedAndMoved((moved) => moved.write('app/a.py', 'from old.mod import thing\nprint(thing, 1)\n'));

    const term = new Terminal(['sync', 'mig'], { cwd: repo.dir });
    const screen = await term.waitFor('❯ Roll back: abandon the sync', 60_000);
    expect(screen).toContain('your own working tree, HEAD detached at the new base');
    const where = /replay working tree[^\n]* is (\S+)/.exec(screen);
    expect(where?.[1], screen).toBe(repo.dir);
    repo.write('app/a.py', FIXED);
    term.keys('Down', 'Enter');
    await term.waitFor("Phase 'calls' is different on the new base. Go on with the sync?", 60_000);
    term.keys('y', 'Enter');
    expect(await term.exitCode(60_000)).toBe(0);
    expect(repo.git('symbolic-ref', '--short', 'HEAD').trim()).toBe(BRANCH);
    expect(repo.read('app/a.py')).toBe(FIXED);
    expect(repo.git('show', 'phasegate/mig/calls:app/a.py')).toBe(FIXED);
    expect(tagCommit(repo, 'calls')).toBe(repo.git('rev-parse', BRANCH).trim());
    expect(repo.git('rev-parse', 'phasegate/mig/base^{commit}').trim()).toBe(repo.git('rev-parse', 'main').trim());
    expect(repo.git('status', '--porcelain', '--untracked-files=all').trim()).toBe('?? notes/todo.txt');
    expectSentinels(repo, planted, 'after the guided sync');
  });
});
