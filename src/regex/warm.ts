import type { PlanDocument } from '../plan/schema.js';
import { warmRegexWorker } from './in-worker.js';

/** A plan with a `replace` step or a regex forbid/require/count: its regex worker starts now. */
export function warmRegexWorkerFor(doc: PlanDocument): void {
  const regexCheck = (check: object) => ['forbid', 'require', 'count'].some((key) => typeof (check as Record<string, unknown>)[key] === 'string');
  const uses = (doc.preflight ?? []).some(regexCheck)
    || doc.phases.some((phase) => (phase.transform ?? []).some((step) => 'replace' in step) || (phase.validate ?? []).some(regexCheck));
  if (uses) warmRegexWorker();
}
