import type { Command } from '../cli.js';
import { InterruptedError } from '../errors.js';
import { interruptOnSignals } from '../engine/interrupt.js';
import { Journal } from '../state/journal.js';
import { RepositoryLock } from '../state/lock.js';
import { decideMode } from '../engine/tasklist/mode.js';
import { performRollback, type RollbackResult } from '../engine/rollback/perform.js';
import { enterPlace, leavePlace, placeRef, type RollbackPlace } from '../engine/rollback/branch.js';
import { recordedPlan } from '../engine/recorded-plan.js';
import { findPlanFile, planOfTagName, resolvePlanName } from '../engine/rollback/target.js';
import { openPlan, openRepository, type PlanInRepository } from '../engine/session.js';
import { formatDuration } from '../plan/duration.js';
import { rollbackSummary } from '../engine/rollback/summary.js';
import { prepareRollback, rereadPlace } from '../engine/rollback/prepare.js';
import { startWorkingTreeRead } from '../engine/early-status.js';

/**
 * `phasegate rollback <target>`: put the branch back to a phase's tag (or `base`), undoing the
 * phases after it newest first. Refuses a dirty tree; commits made by hand after the last phase
 * tag are only discarded with --yes (they stay reachable on an `undone` ref).
 */
export async function rollbackCommand(command: Extract<Command, { name: 'rollback' }>, cwd = process.cwd(), status: ReturnType<typeof startWorkingTreeRead> = startWorkingTreeRead(cwd)): Promise<number> {
  const notice = (text: string) => process.stderr.write(`${text}\n`);
  const repository = await openRepository(cwd);
  const planInfo = await findPlan(repository, command, cwd, notice);
  const planName = await resolvePlanName(repository, command.target, command.plan, planInfo?.doc);
  const lock = new RepositoryLock(repository.stateDir);
  const taken = lock.acquire(`rollback ${command.target}`);
  if (taken.tookOverFrom) notice(`took over a lock left by pid ${taken.tookOverFrom.pid} (no longer running)`);
  // Ctrl-C, SIGTERM and SIGHUP are handled like in `run`: git's part of the rollback always
  // completes (it is quick, and half of it would be worse), a running rollback step is stopped
  // and the later ones are not started; then the lock and the journal are cleaned up, exit 130.
  const interrupt = interruptOnSignals(notice, 'stopping the running rollback step; the rollback finishes without the remaining steps',
    'still finishing the rollback; please wait');
  const stopIfInterrupted = () => {
    if (interrupt.signal.aborted) throw new InterruptedError('interrupted; nothing was rolled back');
  };
  try {
    const journal = new Journal(repository.stateDir);
    const prepared = await prepareRollback(repository, planInfo, planName, command, { journal, tookOverFrom: taken.tookOverFrom, status, notice });
    const { target, place, neverStage } = prepared;
    let { head, manual } = prepared;
    if (prepared.nothingToUndo) {
      process.stdout.write(`nothing to undo: ${place.away ? `the migration branch ${place.branch}` : 'HEAD'} is at ${target.target.name}\n`);
      return 0;
    }
    stopIfInterrupted();
    const prompted = !command.yes && decideMode(false) === 'guided';
    if (prompted) {
      const titles = new Map((planInfo?.doc.phases ?? []).map((phase) => [phase.id, phase.title ?? phase.id]));
      const { confirmRollback } = await import('../prompts/rollback.js');
      if (!(await confirmRollback(await rollbackSummary(repository, target, manual, titles, placeRef(place))))) {
        process.stdout.write('nothing changed\n');
        return 0;
      }
    }
    if (place.away) {
      // Read again after a prompt: a person may have committed on the branch meanwhile.
      if (prompted) ({ head, manual } = await rereadPlace(repository, target, place));
      await enterPlace(repository.git, repository.root, place);
      notice(`rolling back the migration branch ${place.branch} (you are on ${place.away.branch ?? 'a detached HEAD'}): switched to it, and back afterwards`);
    }
    if (interrupt.signal.aborted) {
      await leavePlace(repository.git, place);
      stopIfInterrupted();
    }
    const result = await performRollback(
      { git: repository.git, root: repository.root, journal, doc: planInfo?.doc, planFile: planInfo?.plan.file, neverStage, signal: interrupt.signal, planGiven: Boolean(command.plan) },
      // After a prompt HEAD is read again: a person may have committed meanwhile.
      { plan: planName, branch: place.branch, head: prompted ? undefined : head, target: target.target, undo: target.undo, strategy: command.strategy, manual, returnTo: place.away },
    );
    process.stdout.write(`${describeResult(result, manual.length, place)}\n`);
    for (const warning of result.warnings) notice(`warning: ${warning}`);
    const stayed = await leavePlace(repository.git, place);
    if (stayed) notice(`warning: ${stayed}`);
    if (result.interrupted) {
      throw new InterruptedError(`interrupted: the branch is back at ${result.target} and the undone phases' tags are deleted, but rollback steps were stopped or not run (listed above); run them by hand if they matter`);
    }
    return 0;
  } finally {
    interrupt.dispose();
    lock.release();
  }
}

async function findPlan(repository: Awaited<ReturnType<typeof openRepository>>, command: Extract<Command, { name: 'rollback' }>, cwd: string, notice: (text: string) => void): Promise<PlanInRepository | undefined> {
  if (command.plan) return openPlan(repository, command.plan, cwd);
  const fromTag = planOfTagName(command.target);
  const name = fromTag ?? (await resolvePlanName(repository, command.target, undefined, undefined).catch(() => undefined));
  // The plan the phases ran with, as their tags recorded it, wherever the file lives (or lived).
  const recorded = name ? await recordedPlan(repository, name) : undefined;
  if (recorded) return recorded;
  const file = name ? findPlanFile(repository.root, name) : undefined;
  if (!file) {
    if (name) notice(`note: no plans/${name}.yaml found; undoing without the phases' rollback steps (pass --plan to run them)`);
    return undefined;
  }
  return openPlan(repository, file, cwd);
}

function describeResult(result: RollbackResult, manual: number, place: RollbackPlace): string {
  const where = place.away ? `the migration branch ${place.branch}` : 'HEAD';
  const lines = [`rolled back to ${result.target} (${result.strategy}) in ${formatDuration(result.durationMs)}; ${where} is ${result.head.slice(0, 10)}`];
  for (const phase of result.undone) {
    const steps = phase.steps.length ? `; rollback steps: ${phase.steps.map((s) => (s.ok ? '✔' : '✖') + ' ' + s.command).join(', ')}` : '';
    lines.push(`  ↩ ${phase.id}  ${phase.title}  (${phase.commit.slice(0, 10)} kept at ${phase.ref})${steps}`);
  }
  if (result.manualRef) lines.push(`  ↩ ${manual} commit(s) made after the last tag, kept at ${result.manualRef}`);
  return lines.join('\n');
}
