import type { Problem } from '../plan/explain-issues.js';
import type { CodemodStep, Structural } from '../plan/schema.js';
import { planMatchers, problemPathInPlan } from '../plan/structural-rules.js';
import { specOfCheck, specOfStep } from './matcher.js';
import { matcherProblems } from './validate.js';

/**
 * What ast-grep says of a plan's patterns and rules (issue 4), as plan problems: reported
 * alongside the schema's, so one pass fixes everything. Loaded only for a plan that has a
 * `codemod` step or a structural check (plan/structural-rules.ts finds them), so plans without
 * them never load the parser.
 */
export function structuralProblems(plan: unknown): Problem[] {
  return planMatchers(plan).flatMap((matcher) => {
    const spec = matcher.kind === 'codemod' ? specOfStep(matcher.step as unknown as CodemodStep) : specOfCheck(matcher.matcher as unknown as Structural);
    const fix = matcher.kind === 'codemod' ? matcher.fix : undefined;
    return matcherProblems(spec, fix).map((problem) => ({ path: problemPathInPlan(matcher, problem.path), message: problem.message }));
  });
}
