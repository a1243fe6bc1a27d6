import { stageAll } from './checkpoint.js';
import type { GitClient } from './client.js';

/**
 * The checkpoint of a phase that changed nothing (a phase of checks only): the same commit `git
 * commit --allow-empty` makes — HEAD's tree, HEAD as parent, the message verbatim, a reflog entry
 * `commit: <subject>` — without `git commit`, which rewrites and compares the whole index (about
 * as long as `git add -A` at 20,000 files) to find what this has just shown: nothing changed.
 *
 * Returns undefined, having only staged, when it cannot promise the same commit: the staged tree
 * is not HEAD's (a hook changed files), HEAD is not `start`, or git signs commits (`commit-tree`
 * does not follow commit.gpgsign). The caller then commits as usual.
 */
export async function commitUnchanged(git: GitClient, message: string, exclude: readonly string[], start: string): Promise<string | undefined> {
  const [tree, [head, headTree], signs] = await Promise.all([
    stageAll(git, exclude).then(async () => (await git.run(['write-tree'])).trim()),
    git.run(['rev-parse', 'HEAD', 'HEAD^{tree}']).then((output) => output.trim().split('\n')),
    // Exit 1: not set.
    git.run(['config', '--type=bool', '--get', 'commit.gpgsign']).then((output) => output.trim() === 'true', () => false),
  ]);
  if (signs || head !== start || tree !== headTree) return undefined;
  const text = message.endsWith('\n') ? message : `${message}\n`;
  const commit = (await git.run(['commit-tree', tree, '-p', head, '-F', '-'], { input: text })).trim();
  // Moves the branch HEAD names (or a detached HEAD) only if it is still at `head`, as a commit would.
  await git.run(['update-ref', '-m', `commit: ${text.split('\n')[0]}`, 'HEAD', commit, head]);
  return commit;
}
