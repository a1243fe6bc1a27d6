import path from 'node:path';
import { confirm } from '@inquirer/prompts';
import type { Decisions } from '../engine/decisions.js';
import type { PhaseOutcome } from '../engine/sync/replay.js';
import { ask, type Asking, type PromptContext } from './ask.js';
import { guidedDecisions, type GuidedOptions } from './guided.js';
import type { FailureWording } from './questions.js';

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

/**
 * At a phase whose checks fail on the new base, a guided sync asks `run`'s question with `run`'s
 * answers (same prompt, same shell, same retry): only what they mean reads differently, because
 * the phase ran in the replay working tree and the user's branch moves only when the sync ends.
 */
export function syncFailureWording(replayTree: string): FailureWording {
  const where = inScratchClone(replayTree)
    ? 'a scratch clone; your repository changes only when the sync ends'
    : 'your own working tree, HEAD detached at the new base; your branch and its tags move only when the sync ends';
  return {
    intro: `The replay working tree (${where}) is ${replayTree}`,
    choices: {
      rollback: { name: 'Roll back: abandon the sync', description: 'The branch and its tags stay as they were before the sync (kept under refs/phasegate/…/synced/ too); the attempted rebuild is kept under refs/phasegate/…/sync-attempt/.' },
      retry: { name: 'Run the checks again', description: `After fixing the files by hand in ${replayTree} (in another terminal); your changes are committed with the phase.` },
      keep: { name: 'Keep the phase without a tag and go on', description: 'Its commit stays in the rebuilt branch untagged (the old tag is kept under refs/phasegate/…/synced/); the sync goes on with the next phase.' },
      shell: { name: 'Open a shell in the replay working tree', description: 'Exit the shell to come back to these choices.' },
    },
  };
}

/** A scratch clone's working tree is `<tmp>/phasegate-sync-…/repo` (engine/scratch/clone.ts); otherwise the sync replays in place. */
function inScratchClone(tree: string): boolean {
  return path.basename(path.dirname(tree)).startsWith('phasegate-sync-');
}

/** A guided run's decisions, worded for a sync. The sync engine uses only the one at a failed phase. */
export function syncGuidedDecisions(options: GuidedOptions): Decisions {
  return guidedDecisions({ ...options, failureWording: syncFailureWording });
}
