import type { Command } from '../../cli.js';
import { RefusedError } from '../../errors.js';
import { refuseHeldIndexLock } from '../../git/index-lock.js';
import { refuseOperationInProgress } from '../../git/operation-in-progress.js';
import { refuseAssumeUnchanged } from '../../git/assume-unchanged.js';
import { taggedIndexEntries } from '../../git/index-listing.js';
import { resolveCommit, type WorkingTree } from '../../git/state.js';
import { untrackedInTheWay } from '../../git/in-the-way.js';
import type { Journal } from '../../state/journal.js';
import type { LockOwner } from '../../state/lock.js';
import { ahead } from '../ahead.js';
import { planChangeNote } from '../recorded-plan.js';
import { cleanUpAfterDeadPhasegate } from '../recovery/after-crash.js';
import { recoverInterrupted } from '../recovery/recover.js';
import { protectUntracked } from '../run/working-tree.js';
import type { PlanInRepository, Repository } from '../session.js';
import { decideMode } from '../tasklist/mode.js';
import { findRollbackPlace, placeRef, type RollbackPlace } from './branch.js';
import { manualCommits, resolveTarget, type RollbackTarget } from './target.js';
import { firstFew } from '../../words.js';

/**
 * Everything a rollback checks and reads before it asks or acts: crash clean-up, the index lock,
 * an interrupted operation, a dirty tree, the target and the commits made by hand, and the
 * untracked files a reset would overwrite. The command keeps the lock, the signals and the prompt.
 */
export type RollbackRequest = Pick<Extract<Command, { name: 'rollback' }>, 'target' | 'plan' | 'strategy' | 'yes'>;

export interface PreparedRollback {
  target: RollbackTarget;
  place: RollbackPlace;
  head: string;
  manual: string[];
  /** Nothing after the target and no commits by hand: the checks after that point were not made. */
  nothingToUndo: boolean;
  /** The plan's untracked paths plus every untracked file found: never staged, never cleaned. */
  neverStage: string[];
}

export async function prepareRollback(
  repository: Repository,
  planInfo: PlanInRepository | undefined,
  planName: string,
  request: RollbackRequest,
  context: { journal: Journal; tookOverFrom: LockOwner | undefined; status: Promise<WorkingTree>; notice: (text: string) => void },
): Promise<PreparedRollback> {
  const { journal, notice } = context;
  const session = { ...repository, doc: planInfo?.doc, plan: planInfo?.plan, planPath: planInfo?.planPath, neverStage: [...(planInfo?.neverStage ?? [])] };
  const interrupted = journal.read() !== undefined;
  await cleanUpAfterDeadPhasegate(repository, context.tookOverFrom, interrupted, notice);
  // Read-only questions (each a git process) asked while `git status` walks the tree — at 20,000
  // files the status is the slow one; a dirty tree is still what is refused first.
  const readPlace = async () => {
    const target = await resolveTarget(repository, planName, request.target, planInfo?.doc);
    const place = await findRollbackPlace(repository.git, target, planInfo?.doc);
    const [head, manual] = await Promise.all([place.tip ?? resolveCommit(repository.git, placeRef(place)), manualCommits(repository, target, placeRef(place))]);
    return { target, place, head: head!, manual };
  };
  const early = interrupted ? undefined : ahead(readPlace());
  const earlyListing = interrupted ? undefined : ahead(taggedIndexEntries(repository.git));
  // git holds index.lock while its status compares the tree: phasegate's own status (started
  // with the process) is over before a held lock is taken for another git's.
  const status = await context.status.catch(() => undefined);
  const lockHeld = await refuseHeldIndexLock(repository.git);
  const recovered = await recoverInterrupted({ git: repository.git, root: repository.root, journal, neverStage: session.neverStage });
  if (recovered) notice(recovered);
  await refuseOperationInProgress(repository.git);
  // After a recovery, or another git's work, what was asked before may no longer hold: ask again.
  const fresh = !recovered && !lockHeld.waited;
  const reading = (fresh && early) || ahead(readPlace());
  await Promise.all([
    protectUntracked(session as Parameters<typeof protectUntracked>[0], notice, fresh ? status : undefined),
    refuseAssumeUnchanged(repository.git, (fresh && earlyListing) || undefined),
  ]);
  const { target, place } = await reading;
  const changed = request.plan ? undefined : planChangeNote(repository.root, target.undo);
  if (changed) notice(changed);
  const { head, manual } = await reading;
  const prepared = { target, place, head, manual, neverStage: session.neverStage };

  if (target.undo.length === 0 && manual.length === 0) return { ...prepared, nothingToUndo: true };
  if (manual.length > 0 && request.strategy === 'reset' && !request.yes && decideMode(false) === 'unattended') {
    throw new RefusedError(`${place.away ? `the migration branch ${place.branch}` : 'HEAD'} has ${manual.length} commit(s) made after the last phase tag (${firstFew(manual.map((c) => c.slice(0, 10)))}); ` +
      `rolling back to ${target.target.name} takes them off the branch (they stay reachable at refs/phasegate/${planName}/undone/manual-*). Run again with --yes to go ahead`);
  }
  // git reset --hard (and the revert strategy's read-tree) silently replaces an ignored file, or a
  // whole untracked folder, where the target tracks a file: the user's, and in no ref afterwards.
  const clobbered = await untrackedInTheWay(repository.git, head, target.target.commit);
  if (clobbered.length > 0) {
    throw new RefusedError(`rolling back to ${target.target.name} would overwrite untracked or ignored file(s) where it tracks files: ${firstFew(clobbered, 5)}; move them away first (nothing was changed)`);
  }
  return { ...prepared, nothingToUndo: false };
}

/** HEAD of the rollback's branch and the commits made by hand on it, read again after a prompt. */
export async function rereadPlace(repository: Repository, target: RollbackTarget, place: RollbackPlace): Promise<{ head: string; manual: string[] }> {
  const [head, manual] = await Promise.all([resolveCommit(repository.git, placeRef(place)).then((commit) => commit!), manualCommits(repository, target, placeRef(place))]);
  return { head, manual };
}
