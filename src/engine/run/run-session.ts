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
  /**
   * Count each checkpoint's changed lines (`git diff --numstat`): only when a person will read
   * them (a guided run's review, `--summary`, `--pr-body`). SPEC asks a phase for the files it
   * changed; counting lines takes git longer than the commit at thousands of files.
   */
  countLines: boolean;
  warnings: string[];
  /**
   * An in-place sync's replay (engine/sync/in-place.ts): each phase's tag and failed work go to
   * these refs, never to the user's tags and failed refs, which move only when the sync publishes.
   */
  refsAside?: { tag: (phase: string) => string; failed: (phase: string) => string };
  /** Set when the user chose to stop (guided); later phases are skipped. */
  stopped: boolean;
}
