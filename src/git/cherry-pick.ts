import type { GitClient } from './client.js';
import { firstFew } from '../words.js';

/**
 * Apply one commit on HEAD, keeping its author and message. A commit whose change is already there
 * is kept (empty) rather than dropped, so that what a person did never silently disappears.
 * Returns false, with the attempt undone, when it does not apply.
 */
export async function cherryPick(git: GitClient, commit: string): Promise<boolean> {
  if (await git.succeeds(['cherry-pick', '--allow-empty', '--keep-redundant-commits', commit])) return true;
  await git.succeeds(['cherry-pick', '--abort']);
  return false;
}

/** "abc1234567 "subject" (a.py, b.py)": a commit as a person recognises it. */
export async function describeCommit(git: GitClient, commit: string): Promise<string> {
  const subject = (await git.run(['log', '-1', '--format=%s', commit])).trim();
  const files = await git.entries(['diff-tree', '--no-commit-id', '--name-only', '-r', '-z', '--root', commit]);
  return `${commit.slice(0, 10)} "${subject}" (${firstFew(files, 5)})`;
}
