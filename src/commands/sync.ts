import type { Command } from '../cli.js';
import { decideMode } from '../engine/tasklist/mode.js';
import { interruptOnSignals } from '../engine/interrupt.js';
import { syncPlan, type SyncResult } from '../engine/sync/sync.js';
import type { PhaseOutcome } from '../engine/sync/replay.js';
import { isInteractiveOutput } from '../engine/tasklist/mode.js';
import { ExitCode, InterruptedError } from '../errors.js';
import type { Asking } from '../prompts/ask.js';

/** `phasegate sync <plan> [--onto <ref>] [--yes]`: replay the tagged phases on a moved base. */
export async function syncCommand(command: Extract<Command, { name: 'sync' }>, cwd = process.cwd()): Promise<number> {
  const notice = (text: string) => process.stderr.write(`${text}\n`);
  const interrupt = interruptOnSignals(notice, 'stopping the rebuild; your branch and tags have not moved', 'still stopping; please wait');
  try {
    const guided = decideMode(command.yes) === 'guided';
    const { confirm, decisions } = guided ? await guidedAnswers(interrupt) : {};
    const result = await syncPlan({ cwd, plan: command.plan, onto: command.onto, interactive: isInteractiveOutput(), signal: interrupt.signal, notice, confirm, decisions });
    if (interrupt.signal.aborted) throw new InterruptedError('interrupted; your branch and tags have not moved');
    process.stdout.write(`\n${formatSync(result)}\n`);
    // A phase kept without a tag failed its checks, as with `run`'s keep: exit 1 although the branch moved.
    return result.stoppedAt || result.kept.length > 0 ? ExitCode.phaseFailed : ExitCode.ok;
  } finally {
    interrupt.dispose();
  }
}

async function guidedAnswers(asking: Asking) {
  const { confirmSyncedPhase, syncGuidedDecisions } = await import('../prompts/sync.js');
  return { confirm: (phase: PhaseOutcome) => confirmSyncedPhase(phase, asking), decisions: syncGuidedDecisions(asking) };
}

export function formatSync(result: SyncResult): string {
  const lines = [`sync of ${result.branch} onto ${result.onto} (${result.ontoCommit.slice(0, 10)}):`];
  for (const phase of result.phases) lines.push(`  ${phase.outcome.padEnd(11)} ${phase.id}${describe(phase, result.onto)}`);
  if (result.stoppedAt) {
    const why = result.stoppedBy === 'declined' ? 'you chose to stop' : result.stoppedBy === 'conflict' ? 'a carried commit does not apply' : 'its checks failed';
    lines.push('', `stopped at phase '${result.stoppedAt}': ${why}. ${result.branch} and its tags are unchanged` +
      `${result.syncedRef ? ` (also kept under ${result.syncedRef}/)` : ''}` +
      `${result.attemptRef ? `; the attempted rebuild is kept at ${result.attemptRef}` : ''}.`);
  } else if (result.upToDate) {
    lines.push('', `${result.branch} is up to date with ${result.onto}: every phase still does the same; nothing moved.`);
  } else if (result.moved) {
    lines.push('', `${result.branch} now starts from ${result.onto} (tip ${result.newTip?.slice(0, 10)}); the tags moved with it.`,
      `The old branch tip and tags are kept under ${result.syncedRef}/.`);
    for (const id of result.kept) lines.push(`Phase '${id}' failed its checks and was kept without a tag at your request: 'phasegate run' runs it again.`);
  }
  return lines.join('\n');
}

function describe(phase: PhaseOutcome, onto: string): string {
  if (phase.outcome === 'more') return ` — also changes files new on ${onto}: ${list(phase.comparison!.newFiles)}`;
  if (phase.outcome === 'different') return ` — changes differently: ${list(phase.comparison!.differentFiles)}`;
  if (phase.outcome === 'failed' || phase.outcome === 'conflict' || phase.outcome === 'kept') return ` — ${phase.detail?.split('\n').slice(0, 6).join('\n      ')}`;
  return '';
}

function list(files: readonly string[]): string {
  return `${files.slice(0, 8).join(', ')}${files.length > 8 ? `, … (${files.length} files)` : ''}`;
}
