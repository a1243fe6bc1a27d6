import type { GitClient } from '../../git/client.js';

/**
 * A `run:` step, check or preflight is a shell command, and a shell command can run `git reset`,
 * `git commit` or `git checkout`. Checkpoints are only right while HEAD stays where phasegate left
 * it: a check that resets the branch would otherwise let the phase be tagged and the next phase
 * start from a tree without this one's change.
 */
export interface HeadPosition {
  commit: string;
  /** The branch HEAD is on, null when detached. */
  branch: string | null;
}

export async function headPosition(git: GitClient): Promise<HeadPosition> {
  // One git process for both: the commit, then `refs/heads/<branch>` (or `HEAD` when detached).
  const [commit, ref] = await git.lines(['rev-parse', 'HEAD', '--symbolic-full-name', 'HEAD']);
  return { commit, branch: ref === 'HEAD' ? null : ref.replace(/^refs\/heads\//, '') };
}

/** What moved since `expected`, or undefined when nothing did. */
export async function headMoved(git: GitClient, expected: HeadPosition): Promise<string | undefined> {
  let now: HeadPosition;
  try {
    now = await headPosition(git);
  } catch {
    return 'left HEAD on a branch without commits';
  }
  if (now.branch !== expected.branch) return `switched HEAD from ${describe(expected.branch)} to ${describe(now.branch)}`;
  if (now.commit !== expected.commit) return `moved HEAD from ${expected.commit.slice(0, 10)} to ${now.commit.slice(0, 10)}`;
  return undefined;
}

function describe(branch: string | null): string {
  return branch === null ? 'a detached HEAD' : `branch '${branch}'`;
}
