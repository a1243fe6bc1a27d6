import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import type { TestRepo } from './repo.js';

/**
 * Everything a user could notice about a repository: refs, worktrees, HEAD, index, and every
 * file's bytes and mode outside .git. Two equal snapshots mean "byte-for-byte untouched".
 */
export interface RepoSnapshot {
  refs: string;
  worktrees: string;
  head: string;
  index: string;
  status: string;
  files: Record<string, string>;
}

export function snapshot(repo: TestRepo): RepoSnapshot {
  return {
    refs: repo.git('for-each-ref', '--format=%(objectname) %(refname)'),
    worktrees: repo.git('worktree', 'list', '--porcelain'),
    // 'HEAD' when detached (symbolic-ref would fail there).
    head: repo.git('rev-parse', '--symbolic-full-name', 'HEAD').trim() + ' ' + repo.head(),
    index: repo.git('ls-files', '-s'),
    status: repo.git('status', '--porcelain=v1', '--untracked-files=all', '--ignored'),
    files: fileHashes(repo.dir),
  };
}

function fileHashes(root: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (dir === root && entry === '.git') continue;
      const full = path.join(dir, entry);
      const stat = lstatSync(full);
      const relative = path.relative(root, full);
      if (stat.isDirectory()) walk(full);
      else if (stat.isSymbolicLink()) hashes[relative] = `link:${readlinkSync(full)}`;
      else hashes[relative] = `${(stat.mode & 0o777).toString(8)}:${createHash('sha1').update(readFileSync(full)).digest('hex')}`;
    }
  };
  walk(root);
  return hashes;
}
