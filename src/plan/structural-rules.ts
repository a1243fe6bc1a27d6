import type { Problem } from './explain-issues.js';
import type { CodemodStep, PlanDocument, Structural } from './schema.js';

/**
 * Checks of ast-grep patterns and rules (issue 4): loaded only when a plan has a `codemod` step or a
 * structural check, so plans without them never load the parser.
 */
const MATCH_KEYS = ['forbid', 'require', 'count'] as const;

export async function structuralProblems(plan: PlanDocument): Promise<Problem[]> {
  const [{ matcherProblems }, { specOfCheck, specOfStep }] = await Promise.all([
    import('../structural/validate.js'), import('../structural/matcher.js'),
  ]);
  const problems: Problem[] = [];
  const checks = (entries: unknown[] | undefined, base: (string | number)[]) => {
    (entries ?? []).forEach((check, index) => {
      for (const key of MATCH_KEYS) {
        const matcher = (check as Record<string, unknown>)[key];
        if (!matcher || typeof matcher !== 'object') continue;
        for (const problem of matcherProblems(specOfCheck(matcher as Structural))) {
          problems.push({ path: [...base, index, key, ...problem.path], message: problem.message });
        }
      }
    });
  };
  plan.phases.forEach((phase, phaseIndex) => {
    (phase.transform ?? []).forEach((step, index) => {
      if (!('codemod' in step)) return;
      const codemod = step as CodemodStep;
      const base = ['phases', phaseIndex, 'transform', index];
      for (const problem of matcherProblems(specOfStep(codemod), codemod.fix)) {
        // The pattern form is the `codemod:` string itself; a rule's parts sit under `codemod:`.
        const inner = problem.path[0] === 'fix' ? problem.path : problem.path[0] === 'pattern' ? ['codemod'] : ['codemod', ...problem.path];
        problems.push({ path: [...base, ...inner], message: problem.message });
      }
    });
    checks(phase.validate, ['phases', phaseIndex, 'validate']);
  });
  checks(plan.preflight, ['preflight']);
  return problems;
}

export function usesStructural(plan: PlanDocument): boolean {
  return plan.phases.some((phase) =>
    (phase.transform ?? []).some((step) => 'codemod' in step) ||
    (phase.validate ?? []).some((check) => ['forbid', 'require', 'count'].some((key) => typeof (check as Record<string, unknown>)[key] === 'object')),
  ) || (plan.preflight ?? []).some((check) => ['forbid', 'require', 'count'].some((key) => typeof (check as Record<string, unknown>)[key] === 'object'));
}
