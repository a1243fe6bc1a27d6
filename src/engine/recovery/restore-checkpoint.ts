import { errorMessage, UnrecoverableError } from '../../errors.js';
import { snapshotWorkingTree, updateRef } from '../../git/checkpoint.js';
import type { GitClient } from '../../git/client.js';
import { discardedRef, failedRef } from '../../git/names.js';
import { pointHeadAt, resetTo, restoreByHand } from '../../git/restore.js';
import { restoreSubmodules } from '../../git/submodules.js';
import { currentBranch, headCommit, uncommittedChanges } from '../../git/state.js';
import { attemptReason } from '../attempts.js';
import { failpoint } from '../failpoint.js';

/**
 * Put a phase back where it started — after a failed check, a failed step, Ctrl-C, or a crash found
 * in the journal. What the phase had done (its commit, or the uncommitted work) is kept on
 * `refs/phasegate/<plan>/failed/<phase>` first; keeping it is a courtesy, restoring the checkpoint
 * is the promise, so only a failed reset is fatal (exit 3, with what to do by hand).
 */
export interface PhaseStart {
  plan: string;
  phase: string;
  title: string;
  startCommit: string;
  /** The phase's commit, when it made one: kept even if a command moved HEAD away from it. */
  phaseCommit?: string;
  /** The branch the run works on (null: a detached HEAD), where HEAD is put back if a command switched it. */
  branch?: string | null;
  /** Untracked files that were there before the run: never committed, never removed. */
  neverStage: readonly string[];
  /** Why the phase is put back, kept with the failed ref (its reflog) for `phasegate status`. */
  reason?: string;
  /** Where the failed work is kept, when not on the phase's `failed` ref (an in-place sync's replay). */
  failedRef?: string;
}

export interface Restored {
  failedRef?: string;
  /** Where untracked files the phase created were kept before being removed, when there were any not on `failedRef`. */
  discardedRef?: string;
  /** Why the failed work could not be kept, when it could not. */
  keepError?: string;
  /** Submodules the phase had changed, put back (their changes in each one's stash). */
  submodules?: string[];
}

export async function restorePhaseStart(git: GitClient, start: PhaseStart, why: 'failed' | 'interrupted'): Promise<Restored> {
  const restored: Restored = {};
  try {
    const kept = await failedWork(git, start, why);
    if (kept) {
      restored.failedRef = start.failedRef ?? failedRef(start.plan, start.phase);
      await updateRef(git, restored.failedRef, kept, attemptReason(start.phase, why, start.reason));
    }
    failpoint('during-revert');
  } catch (error) {
    restored.keepError = errorMessage(error);
  }
  try {
    if (start.branch !== undefined && ((await currentBranch(git)) ?? null) !== start.branch) await pointHeadAt(git, start.branch, start.startCommit);
    const reset = await resetTo(git, start.startCommit, {
      keep: start.neverStage, ref: discardedRef(start.plan, new Date()),
      message: `${start.plan}: files phase ${start.phase} created (${why}), removed by the revert\n\nPhasegate-Phase: ${start.phase}\n`,
    });
    restored.discardedRef = reset.keptAt;
    restored.submodules = await restoreSubmodules(git, `phasegate: what phase ${start.phase} of ${start.plan} changed here (${why}), before its revert`);
  } catch (error) {
    throw new UnrecoverableError(`could not restore the checkpoint of phase '${start.phase}': ${errorMessage(error)}\n` +
      `restore it by hand: ${restoreByHand(start.startCommit)}; then remove .git/phasegate/journal.json`);
  }
  return restored;
}

/** The phase's work: a snapshot of the working tree when it is dirty, else its commit if it made one. */
async function failedWork(git: GitClient, start: PhaseStart, why: string): Promise<string | undefined> {
  const dirty = await uncommittedChanges(git, start.neverStage);
  if (dirty.length > 0) {
    return snapshotWorkingTree(git, `${start.plan}: ${start.title} (${why}, uncommitted work)\n\nPhasegate-Phase: ${start.phase}\n`, start.neverStage, start.phaseCommit);
  }
  const head = await headCommit(git);
  if (head !== start.startCommit) return head;
  // A command that moved HEAD back (say `git reset --hard HEAD~1`) must not make the commit unreachable.
  return start.phaseCommit;
}
