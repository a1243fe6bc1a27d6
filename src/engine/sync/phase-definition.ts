import { parsePlan } from '../../plan/load.js';
import type { Phase, PlanDocument } from '../../plan/schema.js';
import type { TagRecord } from '../../git/tag-record.js';

/**
 * Which definition of a phase `sync` replays: the one recorded with the phase's tag (SPEC "Which
 * plan"), so a plan file edited since the phase passed does not change what is replayed. Tags made
 * by an earlier phasegate recorded no plan; then the plan `sync` was given is used.
 */
export function phaseDefinition(doc: PlanDocument, phaseId: string, record: TagRecord | undefined): Phase | undefined {
  return recordedPhase(record, phaseId) ?? doc.phases.find((phase) => phase.id === phaseId);
}

function recordedPhase(record: TagRecord | undefined, phaseId: string): Phase | undefined {
  if (record?.planText === undefined) return undefined;
  try {
    return parsePlan(record.planText, record.planFile ?? 'recorded plan').phases.find((phase) => phase.id === phaseId);
  } catch {
    // A record this phasegate cannot read (written by another version) falls back to the given plan.
    return undefined;
  }
}
