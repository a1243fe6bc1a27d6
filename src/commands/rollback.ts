import type { Command } from '../cli.js';
import { InterruptedError, UnrecoverableError } from '../errors.js';
import type { RollbackResult } from '../engine/rollback/perform.js';
import type { RollbackPlace } from '../engine/rollback/branch.js';
import { rollBack, type RollbackOptions } from '../engine/rollback/rollback.js';
import type { RollbackSummary } from '../engine/rollback/summary.js';
import { decideMode } from '../engine/tasklist/mode.js';
import { formatDuration } from '../plan/duration.js';

/**
 * `phasegate rollback <target>`: put the branch back to a phase's tag (or `base`), undoing the
 * phases after it newest first. Refuses a dirty tree; commits made by hand after the last phase
 * tag are only discarded with --yes (they stay reachable on an `undone` ref).
 */
export async function rollbackCommand(command: Extract<Command, { name: 'rollback' }>, cwd = process.cwd(), status?: RollbackOptions['status']): Promise<number> {
  const notice = (text: string) => process.stderr.write(`${text}\n`);
  const guided = !command.yes && decideMode(false) === 'guided';
  const confirm = async (summary: RollbackSummary) => (await import('../prompts/rollback.js')).confirmRollback(summary);
  const outcome = await rollBack({ cwd, status, target: command.target, plan: command.plan, strategy: command.strategy, yes: command.yes, notice, confirm: guided ? confirm : undefined });
  if (outcome.kind === 'nothing-to-undo') {
    process.stdout.write(`nothing to undo: ${placeName(outcome.place)} is at ${outcome.target}\n`);
  } else if (outcome.kind === 'declined') {
    process.stdout.write('nothing changed\n');
  } else {
    process.stdout.write(`${describeResult(outcome.result, outcome.manual, outcome.place)}\n`);
    for (const warning of outcome.warnings) notice(`warning: ${warning}`);
    if (outcome.result.interrupted) {
      throw new InterruptedError(`interrupted: the branch is back at ${outcome.result.target} and the undone phases' tags are deleted, but rollback steps were stopped or not run (listed above); run them by hand if they matter`);
    }
    // git's part is done, the procedure is not: CI must not read that as a rollback done.
    const failed = outcome.result.undone.flatMap((phase) => phase.steps.filter((step) => !step.ok).map((step) => `\`${step.command}\` of phase '${phase.id}'`));
    if (failed.length > 0) {
      throw new UnrecoverableError(`the branch is back at ${outcome.result.target} and the undone phases' tags are deleted, but ${failed.length === 1 ? 'a rollback step' : 'rollback steps'} failed: ${failed.join(', ')}; run ${failed.length === 1 ? 'it' : 'them'} by hand`);
    }
  }
  return 0;
}

function placeName(place: RollbackPlace): string {
  return place.away ? `the migration branch ${place.branch}` : 'HEAD';
}

function describeResult(result: RollbackResult, manual: number, place: RollbackPlace): string {
  const lines = [`rolled back to ${result.target} (${result.strategy}) in ${formatDuration(result.durationMs)}; ${placeName(place)} is ${result.head.slice(0, 10)}`];
  for (const phase of result.undone) {
    const steps = phase.steps.length ? `; rollback steps: ${phase.steps.map((s) => (s.ok ? '✔' : '✖') + ' ' + s.command).join(', ')}` : '';
    lines.push(`  ↩ ${phase.id}  ${phase.title}  (${phase.commit.slice(0, 10)} kept at ${phase.ref})${steps}`);
  }
  if (result.manualRef) lines.push(`  ↩ ${manual} commit(s) made after the last tag, kept at ${result.manualRef}`);
  return lines.join('\n');
}
