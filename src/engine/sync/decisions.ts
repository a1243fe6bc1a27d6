import { unattended, type Decisions } from '../decisions.js';

/**
 * What a sync asks a person, through `run`'s Decisions: only what to do at a phase whose checks
 * fail on the new base (roll back, retry after a fix by hand, keep, shell). Reviewing each replayed
 * transform or stopping after each pass would ask about work that was already reviewed when the
 * phase first ran; a sync asks its own question instead, at a phase that turned out more or
 * different (`confirm` in replay.ts). `guided` stays false so the replay does not pay for per-step
 * snapshots no one will look at.
 */
export function syncDecisions(guided: Decisions | undefined): Decisions {
  if (!guided) return unattended;
  return { ...unattended, onChecksFailed: (...args) => guided.onChecksFailed(...args) };
}
