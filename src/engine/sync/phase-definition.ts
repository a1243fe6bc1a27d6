import type { Phase, PlanDocument } from '../../plan/schema.js';
import type { TagRecord } from '../tag-record.js';

/**
 * Which definition of a phase `sync` replays. The SPEC says: the plan text recorded with the
 * phase's tag. Until tags carry that text, it is the plan `sync` was given (the repository's plan);
 * this is the one place to switch when they do.
 */
export function phaseDefinition(doc: PlanDocument, phaseId: string, _record: TagRecord | undefined): Phase | undefined {
  return doc.phases.find((phase) => phase.id === phaseId);
}
