import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';
import { migratedShop } from './helpers/shop.js';
import type { TestRepo } from './helpers/repo.js';

/** What a user could notice (helpers/snapshot.ts asks HEAD's commit, which an orphan branch has not). */
function state(repo: TestRepo): string[] {
  return [repo.git('symbolic-ref', 'HEAD'), repo.git('for-each-ref', '--format=%(objectname) %(refname)'), repo.git('ls-files', '-s'), repo.git('status', '--porcelain', '--untracked-files=all', '--ignored')];
}

/** HEAD on a branch that has no commit: a new repository, or `git switch --orphan` in one that has commits. */
describe('HEAD without a commit', () => {
  it('in a new repository: every command that needs a checkpoint refuses and says to commit first', async () => {
    const repo = makeRepo({ 'plans/p.yaml': 'version: 1\nname: p\nphases:\n  - id: a\n    validate:\n      - forbid: x\n' }, { commit: false });
    for (const args of [['run', 'p', '--yes'], ['rollback', 'base', '--yes'], ['status']]) {
      const result = await phasegate(args, { cwd: repo.dir });
      expect(result.exitCode, result.all).toBe(2);
      expect(result.stderr.trim()).toBe('phasegate: the repository has no commits yet: commit the starting state first');
    }
  });

  it('on an orphan branch of a migrated repository: run, rollback and sync name the branch, and nothing changes', async () => {
    const repo = await migratedShop();
    repo.git('switch', '-q', '--orphan', 'fresh-start');
    const before = state(repo);
    for (const args of [['run', 'shop', '--yes'], ['rollback', 'base', '--yes'], ['sync', 'shop', '--yes']]) {
      const result = await phasegate(args, { cwd: repo.dir });
      expect(result.exitCode, result.all).toBe(2);
      expect(result.stderr.trim(), args.join(' ')).toBe('phasegate: the branch fresh-start has no commits yet (an orphan branch): switch to the branch to migrate first; nothing was changed');
      expect(state(repo), args.join(' ')).toEqual(before);
    }
  });
});
