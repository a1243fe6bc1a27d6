import { InterruptedError } from '../../errors.js';
import { Journal } from '../../state/journal.js';
import { RepositoryLock } from '../../state/lock.js';
import { interruptOnSignals, type Interrupt } from '../interrupt.js';
import { openRepository } from '../session.js';
import { enterPlace, leavePlace, placeRef, type RollbackPlace } from './branch.js';
import { performRollback, type RollbackResult } from './perform.js';
import { rollbackPlan } from './plan.js';
import { startWorkingTreeRead } from '../../git/early-status.js';
import type { WorkingTree } from '../../git/state.js';
import { prepareRollback, rereadPlace, type RollbackRequest } from './prepare.js';
import { rollbackSummary, type RollbackSummary } from './summary.js';

/**
 * `phasegate rollback <target>` as one engine call: find the plan, take the lock, check and read
 * (prepare.ts), ask when the command says so, then move the branch (perform.ts), on the migration
 * branch when the user is elsewhere. The command parses options, chooses whether to ask, prints.
 */
export interface RollbackOptions extends RollbackRequest {
  cwd: string;
  notice: (text: string) => void;
  /** `git status`, when main.ts already started it while the modules loaded. */
  status?: Promise<WorkingTree>;
  /** Guided mode: shown what will be undone, says yes or no. Absent: no question. */
  confirm?: (summary: RollbackSummary) => Promise<boolean>;
}

export type RollbackOutcome =
  | { kind: 'nothing-to-undo'; place: RollbackPlace; target: string }
  | { kind: 'declined' }
  | { kind: 'rolled-back'; result: RollbackResult; manual: number; place: RollbackPlace; warnings: string[] };

export async function rollBack(options: RollbackOptions): Promise<RollbackOutcome> {
  const { cwd, notice } = options;
  const status = options.status ?? startWorkingTreeRead(cwd);
  const repository = await openRepository(cwd);
  const plan = await rollbackPlan(repository, options.target, options.plan, cwd, notice);
  const lock = new RepositoryLock(repository.stateDir);
  const taken = lock.acquire(`rollback ${options.target}`);
  if (taken.tookOverFrom) notice(`took over a lock left by pid ${taken.tookOverFrom.pid} (no longer running)`);
  // Ctrl-C, SIGTERM and SIGHUP are handled like in `run`: git's part of the rollback always
  // completes (it is quick, and half of it would be worse), a running rollback step is stopped
  // and the later ones are not started; then the lock and the journal are cleaned up, exit 130.
  const interrupt = interruptOnSignals(notice, 'stopping the running rollback step; the rollback finishes without the remaining steps',
    'still finishing the rollback; please wait');
  try {
    const journal = new Journal(repository.stateDir);
    const prepared = await prepareRollback(repository, plan.found, plan.name, options, { journal, tookOverFrom: taken.tookOverFrom, status, notice });
    const { target, place, neverStage } = prepared;
    let { head, manual } = prepared;
    if (prepared.nothingToUndo) return { kind: 'nothing-to-undo', place, target: target.target.name };
    stopIfInterrupted(interrupt);
    if (options.confirm) {
      const titles = new Map((plan.found?.doc.phases ?? []).map((phase) => [phase.id, phase.title ?? phase.id]));
      if (!(await options.confirm(await rollbackSummary(repository, target, manual, titles, placeRef(place))))) return { kind: 'declined' };
    }
    if (place.away) {
      // Read again after a prompt: a person may have committed on the branch meanwhile.
      if (options.confirm) ({ head, manual } = await rereadPlace(repository, target, place));
      await enterPlace(repository.git, repository.root, place);
      notice(`rolling back the migration branch ${place.branch} (you are on ${place.away.branch ?? 'a detached HEAD'}): switched to it, and back afterwards`);
    }
    if (interrupt.signal.aborted) {
      await leavePlace(repository.git, place);
      stopIfInterrupted(interrupt);
    }
    const result = await performRollback(
      { git: repository.git, root: repository.root, journal, doc: plan.found?.doc, planFile: plan.found?.plan.file, neverStage, signal: interrupt.signal, planGiven: Boolean(options.plan) },
      // After a prompt HEAD is read again: a person may have committed meanwhile.
      { plan: plan.name, branch: place.branch, head: options.confirm ? undefined : head, target: target.target, undo: target.undo, strategy: options.strategy, manual, returnTo: place.away },
    );
    const stayed = await leavePlace(repository.git, place);
    return { kind: 'rolled-back', result, manual: manual.length, place, warnings: [...result.warnings, ...(stayed ? [stayed] : [])] };
  } finally {
    interrupt.dispose();
    lock.release();
  }
}

function stopIfInterrupted(interrupt: Interrupt): void {
  if (interrupt.signal.aborted) throw new InterruptedError('interrupted; nothing was rolled back');
}
