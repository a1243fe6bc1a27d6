import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { TestRepo } from './repo.js';

/**
 * Files a user had before phasegate ran — untracked in an untracked folder, ignored in an ignored
 * folder — planted so that a test can check them byte for byte after every command.
 */
export const SENTINELS: Record<string, Buffer> = {
  'notes/todo.txt': Buffer.from('remember the milk\n'),
  'build/cache.bin': Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 13]),
};

/** `.gitignore` content that makes build/ ignored (commit it with the project). */
export const IGNORE_BUILD = 'build/\n';

export function plantSentinels(repo: TestRepo, extra: Record<string, string | Buffer> = {}): Record<string, Buffer> {
  const planted: Record<string, Buffer> = { ...SENTINELS };
  for (const [file, content] of Object.entries(extra)) planted[file] = Buffer.isBuffer(content) ? content : Buffer.from(content);
  for (const [file, content] of Object.entries(planted)) repo.write(file, content as unknown as string);
  return planted;
}

export function expectSentinels(repo: TestRepo, planted: Record<string, Buffer>, when: string): void {
  for (const [file, content] of Object.entries(planted)) {
    const absolute = path.join(repo.dir, file);
    expect(existsSync(absolute), `${when}: ${file} is gone`).toBe(true);
    expect(readFileSync(absolute).equals(content), `${when}: ${file} changed`).toBe(true);
  }
}

/** What a user keeps in git besides files: a stash, and another branch with a commit of its own. */
export interface GitSentinels {
  stash: string;
  stashList: string;
  branch: string;
}

/** Plants a stash (an edit of `tracked`) and a branch `side` with one commit; call on a clean tree. */
export function plantGitSentinels(repo: TestRepo, tracked: string): GitSentinels {
  const start = repo.git('symbolic-ref', '--short', 'HEAD').trim();
  repo.git('checkout', '-q', '-b', 'side');
  repo.write('side.txt', 'work on another branch\n');
  repo.git('add', 'side.txt');
  repo.git('commit', '-q', '-m', 'side work');
  repo.git('checkout', '-q', start);
  repo.write(tracked, `${repo.read(tracked)}stashed edit\n`);
  repo.git('stash', 'push', '-q', '-m', 'my stash');
  return readGitSentinels(repo);
}

export function readGitSentinels(repo: TestRepo): GitSentinels {
  return {
    stash: repo.git('rev-parse', 'refs/stash').trim(),
    stashList: repo.git('stash', 'list'),
    branch: repo.git('rev-parse', 'refs/heads/side').trim(),
  };
}

export function expectGitSentinels(repo: TestRepo, planted: GitSentinels, when: string): void {
  expect(readGitSentinels(repo), `${when}: the stash or the other branch changed`).toEqual(planted);
}
