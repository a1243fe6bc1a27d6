import { commitAsHead, stageAll } from './checkpoint.js';
import type { GitClient } from './client.js';
import { signsCommits } from './signing.js';

/**
 * The checkpoint of a phase that changed nothing (a phase of checks only): the same commit `git
 * commit --allow-empty` makes — HEAD's tree, HEAD as parent, the message verbatim, a reflog entry
 * `commit: <subject>` — without `git commit`, which rewrites and compares the whole index (about
 * as long as `git add -A` at 20,000 files) to find what staging has just shown: nothing changed.
 */

/** What staging everything showed: `head` is where a commit of `tree` goes when it equals HEAD's tree. */
export interface StagedState { head: string; tree: string; unchanged: boolean }

/**
 * Stage everything (as a checkpoint does) and tell whether that changed anything since `start`.
 * Not unchanged, for the caller to commit as usual, when the staged tree is not HEAD's (a hook
 * changed files), HEAD is not `start`, or git signs commits (`commit-tree` does not follow
 * commit.gpgsign).
 */
export async function stageAndCompare(git: GitClient, exclude: readonly string[], start: string): Promise<StagedState> {
  const [tree, [head, headTree], signs] = await Promise.all([
    stageAll(git, exclude).then(async () => (await git.run(['write-tree'])).trim()),
    git.run(['rev-parse', 'HEAD', 'HEAD^{tree}']).then((output) => output.trim().split('\n')),
    signsCommits(git),
  ]);
  return { head, tree, unchanged: !signs && head === start && tree === headTree };
}

/** The empty checkpoint on `staged.head`; HEAD (its branch, or a detached HEAD) moves only if it is still there. */
export async function commitUnchanged(git: GitClient, staged: StagedState, message: string): Promise<string> {
  return commitAsHead(git, staged.tree, staged.head, message, false);
}
