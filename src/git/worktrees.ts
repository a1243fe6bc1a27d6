import path from 'node:path';
import type { GitClient } from './client.js';

/** The other worktree that has `branch` checked out, if any (moving the branch would leave that tree behind it). */
export async function worktreeWithBranch(git: GitClient, branch: string, except: string): Promise<string | undefined> {
  const blocks = (await git.run(['worktree', 'list', '--porcelain'])).split('\n\n');
  for (const block of blocks) {
    const lines = block.split('\n');
    const where = lines.find((line) => line.startsWith('worktree '))?.slice('worktree '.length);
    if (where && lines.includes(`branch refs/heads/${branch}`) && path.resolve(where) !== path.resolve(except)) return where;
  }
  return undefined;
}
