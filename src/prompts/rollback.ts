import { InterruptedError } from '../errors.js';
import { ask, type PromptContext } from './ask.js';
import type { RollbackSummary } from './describe.js';
import { rollbackQuestion } from './questions.js';

export type { RollbackSummary } from './describe.js';

/**
 * Guided `phasegate rollback`: list what will be undone and ask; No unless the user says yes.
 * Ctrl-C at the question is an interruption (InterruptedError, exit 130) before anything changed.
 * `context` is for tests (@inquirer/testing); the command calls it with the summary only.
 */
export async function confirmRollback(summary: RollbackSummary, context?: PromptContext): Promise<boolean> {
  try {
    return await ask(rollbackQuestion, summary, { signal: new AbortController().signal, interrupt: () => {}, context });
  } catch (error) {
    if (error instanceof InterruptedError) throw new InterruptedError('interrupted; nothing was rolled back');
    throw error;
  }
}
