import type { Decisions } from '../decisions.js';
import type { Journal } from '../../state/journal.js';
import type { OperationContext, PlanInRepository, Repository } from '../session.js';

/** A run in progress: the repository, the plan, and what the run shares between phases. */
export interface RunSession extends Repository, PlanInRepository, OperationContext {
  signal: AbortSignal;
  journal: Journal;
  decisions: Decisions;
  /** The branch the run works on, or null for a detached HEAD. */
  branch: string | null;
  /** PHASEGATE_* variables for every command. */
  env: Record<string, string>;
  interactive: boolean;
  warnings: string[];
  /** Set when the user chose to stop (guided); later phases are skipped. */
  stopped: boolean;
}
