import { confirm } from '@inquirer/prompts';
import type { PhaseOutcome } from '../engine/sync/replay.js';
import { ask, type Asking, type PromptContext } from './ask.js';

/**
 * Guided sync: a phase that now does more (files new on the base) or something different is shown
 * as a diff of diffs — its change before and now, per file — and the user says whether to go on.
 * The default is to stop: nothing moves then.
 */
const goOnQuestion = (phase: PhaseOutcome, context?: PromptContext) =>
  confirm({ message: `Phase '${phase.id}' is ${phase.outcome} on the new base. Go on with the sync?`, default: false }, context);

export async function confirmSyncedPhase(phase: PhaseOutcome, asking: Asking): Promise<boolean> {
  const output = asking.context?.output ?? process.stderr;
  output.write(`\n${phase.id}: ${phase.outcome}\n${phase.comparison?.diffOfDiffs ?? ''}\n`);
  return ask(goOnQuestion, phase, asking);
}
