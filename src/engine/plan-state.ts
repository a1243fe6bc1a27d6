import type { GitClient } from '../git/client.js';
import type { TagInfo } from '../git/tags.js';
import { phaseHash } from '../plan/hash.js';
import type { Phase, PlanDocument } from '../plan/schema.js';
import { readPhasegateTags } from './plan-tags.js';
import { parseTagMessage, type TagRecord } from '../git/tag-record.js';

/** Where a plan stands in a repository, read from its tags. */
export interface PhaseState {
  phase: Phase;
  index: number;
  hash: string;
  tag?: TagInfo;
  record?: TagRecord;
  /** Tagged, but the phase's definition changed since. */
  changed: boolean;
}

export interface PlanState {
  base?: TagInfo;
  phases: PhaseState[];
  /** Tags of phase ids the plan no longer has. */
  strayTags: TagInfo[];
}

export async function readPlanState(git: GitClient, doc: PlanDocument): Promise<PlanState> {
  const tags = await readPhasegateTags(git, doc.name);
  const phases = doc.phases.map((phase, index): PhaseState => {
    const tag = tags.get(phase.id);
    const record = tag ? parseTagMessage(tag.message) : undefined;
    const hash = phaseHash(phase, doc.files);
    return { phase, index, hash, tag, record, changed: Boolean(tag && record && record.hash !== hash) };
  });
  const known = new Set(['base', ...doc.phases.map((phase) => phase.id)]);
  return { base: tags.get('base'), phases, strayTags: [...tags.values()].filter((tag) => !known.has(tag.phase)) };
}

/** The checkpoint a run starting at `startIndex` builds on: the nearest earlier phase tag, else base. */
export function checkpointBefore(state: PlanState, startIndex: number): TagInfo | undefined {
  for (let index = startIndex - 1; index >= 0; index--) {
    const tag = state.phases[index].tag;
    if (tag) return tag;
  }
  return state.base;
}
