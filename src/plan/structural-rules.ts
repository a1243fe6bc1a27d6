import type { Problem } from './explain-issues.js';
import type { PlanDocument } from './schema.js';

/**
 * Checks of ast-grep patterns and rules (issue 4): loaded only when a plan has a `codemod` step or a
 * structural check, so plans without them never load the parser.
 */
export async function structuralProblems(_plan: PlanDocument): Promise<Problem[]> {
  return [];
}

export function usesStructural(plan: PlanDocument): boolean {
  return plan.phases.some((phase) =>
    (phase.transform ?? []).some((step) => 'codemod' in step) ||
    (phase.validate ?? []).some((check) => ['forbid', 'require', 'count'].some((key) => typeof (check as Record<string, unknown>)[key] === 'object')),
  ) || (plan.preflight ?? []).some((check) => ['forbid', 'require', 'count'].some((key) => typeof (check as Record<string, unknown>)[key] === 'object'));
}
