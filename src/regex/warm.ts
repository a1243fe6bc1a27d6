import type { PlanDocument } from '../plan/schema.js';

/** A plan with a `replace` step or a regex forbid/require/count: its regex worker starts now. */
export function warmRegexWorkerFor(doc: PlanDocument): void {
  const regexCheck = (check: object) => ['forbid', 'require', 'count'].some((key) => typeof (check as Record<string, unknown>)[key] === 'string');
  const uses = (doc.preflight ?? []).some(regexCheck)
    || doc.phases.some((phase) => (phase.transform ?? []).some((step) => 'replace' in step) || (phase.validate ?? []).some(regexCheck));
  // The worker's module (and what it brings: deadlines, process helpers) loads in the background,
  // beside the run's first git questions, instead of before them.
  if (uses) import('./in-worker.js').then(({ warmRegexWorker }) => warmRegexWorker(), () => undefined);
}
