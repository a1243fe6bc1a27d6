import { switchToBranch } from '../../git/in-the-way.js';
import { RefusedError, errorMessage } from '../../errors.js';
import type { GitClient } from '../../git/client.js';
import { defaultBranch } from '../../git/names.js';
import { checkoutStart } from '../../git/restore.js';
import { worktreeWithBranch } from '../../git/worktrees.js';
import { branchExists, currentBranch, headCommit, isAncestor, workingTree } from '../../git/state.js';
import type { PlanDocument } from '../../plan/schema.js';
import { readPhasegateTags } from '../plan-tags.js';
import type { RollbackTarget } from './target.js';
import { recordedBranch } from '../../git/tag-record.js';
import { firstFew } from '../../words.js';

/**
 * Which branch a rollback moves, and getting onto it and back.
 *
 * The phase commits live on the migration branch (the base tag records its name). A rollback
 * started elsewhere must still move that branch: `main` contains the base tag too, and resetting
 * `main` instead deleted the tags while the migration branch stayed migrated, so the next run
 * applied every phase a second time. So a rollback started on another branch switches to the
 * migration branch (its rollback steps run on the tree they were written for), does its work
 * there, and switches back: the user ends where they started, with the same files.
 */
export interface RollbackPlace {
  /** The branch the rollback moves; null for a detached HEAD that holds the phase commits. */
  branch: string | null;
  /** Where the user was, when the rollback happens on another branch. */
  away?: StartingPoint;
  /** HEAD's commit as read here, when the rollback stays on HEAD (saves asking git again). */
  tip?: string;
}

/** A branch, or a commit for a detached HEAD. */
export interface StartingPoint { branch?: string; commit: string }

export async function findRollbackPlace(git: GitClient, target: RollbackTarget, doc: PlanDocument | undefined): Promise<RollbackPlace> {
  const [here, head, migration] = await Promise.all([currentBranch(git), headCommit(git), migrationBranch(git, target, doc)]);
  if (migration && migration !== here) {
    if (!(await isAncestor(git, target.target.commit, `refs/heads/${migration}`))) {
      throw new RefusedError(`the migration branch ${migration} does not contain ${target.target.name}; nothing to roll back there (nothing was changed)`);
    }
    return { branch: migration, away: { branch: here, commit: head } };
  }
  // No migration branch known (a run on a detached HEAD): only a HEAD that holds the phase
  // commits may be moved, or the tags would go while the commits stay applied somewhere else.
  const mustHold = [target.target, ...(migration ? [] : target.undo.slice(0, 1))];
  for (const tag of mustHold) {
    if (!(await isAncestor(git, tag.commit, head))) throw new RefusedError(`HEAD does not contain ${tag.name}: check out the migration branch first`);
  }
  return { branch: here ?? null, tip: head };
}

/** The migration branch: recorded in the base tag, else the plan's `branch:`, else the default name. */
async function migrationBranch(git: GitClient, target: RollbackTarget, doc: PlanDocument | undefined): Promise<string | undefined> {
  const base = 'base' in target ? target.base : (await readPhasegateTags(git, target.plan)).get('base');
  const candidates = [...new Set([base ? recordedBranch(base) : null, doc?.branch, defaultBranch(target.plan)])].filter((name): name is string => Boolean(name));
  // Asked side by side; the first in that order that exists wins.
  const exists = await Promise.all(candidates.map((candidate) => branchExists(git, candidate)));
  return candidates.find((_, index) => exists[index]);
}

/** The ref to read the rollback's branch from, switched to or not. */
export function placeRef(place: RollbackPlace): string {
  return place.away && place.branch ? `refs/heads/${place.branch}` : 'HEAD';
}

/**
 * Switch to the migration branch, refusing first (exit 2, nothing changed) what would fail or
 * lose a file half-way: the branch checked out in another worktree, or a file on disk that is not
 * tracked here (untracked or ignored) at a path the migration branch tracks — git would refuse
 * the first and silently overwrite the second.
 */
export async function enterPlace(git: GitClient, root: string, place: RollbackPlace): Promise<void> {
  if (!place.away || !place.branch) return;
  const elsewhere = await worktreeWithBranch(git, place.branch, root);
  if (elsewhere) {
    throw new RefusedError(`the migration branch ${place.branch} is checked out in another worktree (${elsewhere}): run the rollback there, or switch that worktree to another branch first (nothing was changed)`);
  }
  await switchToBranch(git, place.branch);
}

/**
 * Back to where the user started. Stays (and says why) when the rollback steps left tracked
 * changes, which a switch would carry over or refuse, or when git refuses the switch.
 */
export async function leavePlace(git: GitClient, place: RollbackPlace): Promise<string | undefined> {
  const start = place.away;
  if (!start || !place.branch) return undefined;
  const back = start.branch ?? start.commit.slice(0, 10);
  const { changes } = await workingTree(git);
  if (changes.length > 0) {
    return `staying on ${place.branch}: the rollback steps changed tracked files (${firstFew(changes.map((line) => line.slice(3)))}); switch back to ${back} yourself when done`;
  }
  try {
    await checkoutStart(git, start);
  } catch (error) {
    return `staying on ${place.branch}: could not switch back to ${back}: ${errorMessage(error)}`;
  }
  return undefined;
}
