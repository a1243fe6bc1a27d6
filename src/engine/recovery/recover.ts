import { phaseTag } from '../../git/names.js';
import { readPlanTags } from '../../git/tags.js';
import { branchExists, currentBranch } from '../../git/state.js';
import { RefusedError } from '../../errors.js';
import { restorePhaseStart } from './restore-checkpoint.js';
import type { OperationContext } from '../session.js';
import { describeInterruption, type JournalEntry, type RollbackEntry, type RunEntry } from '../../state/journal.js';

/**
 * After a crash or kill -9 the journal says what was in progress. An interrupted phase is put back
 * to the checkpoint it started from; its half-done work is kept on the phase's `failed` ref.
 * Returns a message for the user, or undefined when there was nothing to recover.
 */

export async function recoverInterrupted(target: OperationContext): Promise<string | undefined> {
  const entry = target.journal.read();
  if (!entry) return undefined;
  const what = describeInterruption(entry);
  if (entry.operation === 'rollback') {
    const { finishRollback } = await import('../rollback/finish-interrupted.js');
    const neverStage = [...new Set([...target.neverStage, ...(entry.protected ?? [])])];
    return `${what}; ${await finishRollback({ ...target, neverStage }, entry as JournalEntry & RollbackEntry)}`;
  }
  if (entry.operation === 'sync') {
    const { finishInterruptedSync } = await import('./sync-interrupted.js');
    return `${what}; ${await finishInterruptedSync(target, entry)}`;
  }
  return `${what}; ${await restoreInterruptedPhase(target, entry as JournalEntry & RunEntry)}`;
}

async function restoreInterruptedPhase(recovery: OperationContext, entry: JournalEntry & RunEntry): Promise<string> {
  const target = { ...recovery, neverStage: [...new Set([...recovery.neverStage, ...(entry.protected ?? [])])] };
  const { git, journal } = target;
  const branch = await currentBranch(git);
  if (entry.branch && branch !== entry.branch && !(await branchExists(git, entry.branch))) {
    journal.clear();
    return `its branch '${entry.branch}' no longer exists, so there is nothing to restore`;
  }
  if (entry.branch && branch !== entry.branch) {
    throw new RefusedError(`the interrupted run was on branch '${entry.branch}' but HEAD is on '${branch ?? 'a detached HEAD'}': switch back with 'git checkout -f ${entry.branch}' and run again`);
  }
  // The phase may have finished its tag just before dying: then it passed and nothing is undone.
  if (entry.stage === 'tag' && entry.phaseCommit) {
    const tag = (await readPlanTags(git, entry.plan)).get(entry.phase);
    if (tag?.commit === entry.phaseCommit) {
      journal.clear();
      return `its tag ${phaseTag(entry.plan, entry.phase)} had been written, so the phase is complete`;
    }
  }
  const restored = await restorePhaseStart(git, {
    plan: entry.plan, phase: entry.phase, title: entry.phaseTitle, startCommit: entry.startCommit, phaseCommit: entry.phaseCommit,
    branch: entry.branch, neverStage: target.neverStage, reason: `the phasegate process ended during its ${entry.stage} stage (crash or kill)`,
  }, 'interrupted');
  journal.clear();
  const short = entry.startCommit.slice(0, 10);
  const kept = [restored.failedRef && `the interrupted work is kept at ${restored.failedRef}`, restored.discardedRef && `files it created are kept at ${restored.discardedRef}`];
  return [`restored the checkpoint ${short}`, ...kept.filter(Boolean)].join('; ');
}
