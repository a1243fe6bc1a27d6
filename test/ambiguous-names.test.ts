import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';
import { snapshot } from './helpers/snapshot.js';
import { expectSentinels, IGNORE_BUILD, plantSentinels } from './helpers/sentinels.js';

/**
 * A tag that shares a branch's name: git then shortens `refs/heads/main` to `heads/main`, and a
 * name read that way must never be taken for the branch (checking it out detaches HEAD).
 */
const plan = [
  'version: 1', 'name: p', 'files: ["**/*.py"]', 'phases:', '  - id: one', '    title: one', '    transform:',
  "      - replace: 'old'", "        with: 'new'", '    validate:', "      - forbid: 'zzz'", '',
].join('\n');

describe('a tag with the same name as a branch', () => {
  it('rollback started on main comes back to the branch main, not to a detached HEAD', async () => {
    const repo = makeRepo({ '.gitignore': IGNORE_BUILD, 'app.py': 'old\n', 'plans/p.yaml': plan });
    repo.git('tag', 'main');
    expect((await phasegate(['run', 'p', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    repo.git('checkout', '-q', 'main');
    const planted = plantSentinels(repo);
    const result = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.git('symbolic-ref', '-q', 'HEAD').trim()).toBe('refs/heads/main');
    expect(result.stdout + result.stderr).not.toContain('heads/main');
    expectSentinels(repo, planted, 'after the rollback');
  });

  it('a run whose tags cannot be made next to a tag named like the migration branch refuses and leaves HEAD on main', async () => {
    const repo = makeRepo({ '.gitignore': IGNORE_BUILD, 'app.py': 'old\n', 'plans/p.yaml': plan });
    repo.git('tag', 'phasegate/p');
    const planted = plantSentinels(repo);
    const before = snapshot(repo);
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('a tag named phasegate/p is in the way of this plan\'s tags');
    expect(snapshot(repo)).toEqual(before);
    expectSentinels(repo, planted, 'after the refusal');
  });
});
