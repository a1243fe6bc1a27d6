import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, type TestRepo } from './helpers/repo.js';
import { onePhasePlan } from './helpers/plan-yaml.js';
import { expectGitSentinels, expectSentinels, IGNORE_BUILD, plantGitSentinels, plantSentinels, type GitSentinels } from './helpers/sentinels.js';

/**
 * SPEC: "Every step and check takes `timeout:`". A `rename` or `delete` step moves files one by one
 * in this process; its timeout used to be accepted and never enforced. Now it stops the step
 * between two files, and the phase is reverted like any failed step: every file back at its path,
 * the user's untracked and ignored files, stash and other branch untouched.
 */
const FILES = 800;

interface Planted { repo: TestRepo; files: Record<string, string>; sentinels: Record<string, Buffer>; kept: GitSentinels }

/** The files to move, and what a user keeps around them: an untracked note beside them, an untracked folder, an ignored one, a stash, another branch. */
function bigRepo(transform: string[]): Planted {
  const files: Record<string, string> = {};
  for (let index = 0; index < FILES; index++) files[`legacy/mod_${String(index).padStart(4, '0')}.py`] = `value = ${index}\n`;
  const repo = makeRepo({ ...files, '.gitignore': IGNORE_BUILD, 'plans/p.yaml': onePhasePlan('p', `    transform:\n${transform.join('\n')}\n`) });
  const kept = plantGitSentinels(repo, 'legacy/mod_0000.py');
  const sentinels = plantSentinels(repo, { 'legacy/NOTES.md': 'my untracked notes\n' });
  return { repo, files, sentinels, kept };
}

function expectRestored({ repo, files, sentinels, kept }: Planted, start: string): void {
  expect(repo.head()).toBe(start);
  expect(repo.tags()).not.toContain('phasegate/p/one');
  for (const [file, content] of Object.entries(files)) expect(repo.read(file), file).toBe(content);
  expect(repo.exists('modern')).toBe(false);
  expectSentinels(repo, sentinels, 'after the revert');
  expectGitSentinels(repo, kept, 'after the revert');
  expect(repo.git('status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).sort()).toEqual(['?? legacy/NOTES.md', '?? notes/todo.txt']);
}

describe('rename and delete steps stop at their timeout', () => {
  it.each([
    { kind: 'rename', transform: ["      - rename: 'legacy/*.py'", "        to: 'modern/{name}{ext}'", '        timeout: 1ms'] },
    { kind: 'delete', transform: ["      - delete: 'legacy/*.py'", '        timeout: 1ms'] },
  ])(`a $kind of ${FILES} files with timeout: 1ms fails, names the timeout, and the phase is reverted`, async ({ transform }) => {
    const planted = bigRepo(transform);
    const { repo } = planted;
    const start = repo.head();
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toMatch(/timed out after 1ms/);
    expectRestored(planted, start);
  });

  it('the same rename with the default timeout moves every file', async () => {
    const { repo } = bigRepo(["      - rename: 'legacy/*.py'", "        to: 'modern/{name}{ext}'"]);
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.git('ls-files', 'modern').trim().split('\n')).toHaveLength(FILES);
    expect(repo.read('legacy/NOTES.md')).toBe('my untracked notes\n');
  });
});
