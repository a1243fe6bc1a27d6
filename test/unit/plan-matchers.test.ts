import { describe, expect, it } from 'vitest';
import { planMatchers, problemPathInPlan, usesStructural } from '../../src/plan/structural-rules.js';

const plan = {
  phases: [{
    transform: [{ replace: 'a', with: 'b' }, { codemod: 'foo($A)', fix: 'bar($A)', language: 'python' }],
    validate: [{ forbid: { pattern: 'foo($$$)', language: 'python' } }, { forbid: 'plain regex' }],
  }],
  preflight: [{ count: { rule: { kind: 'call' }, language: 'ts' } }],
};

describe('where a plan holds ast-grep patterns (judged a layer up, in structural/)', () => {
  it('finds codemod steps and structural checks, with their paths in the plan', () => {
    expect(planMatchers(plan).map((matcher) => [matcher.kind, matcher.path])).toEqual([
      ['codemod', ['phases', 0, 'transform', 1]],
      ['check', ['phases', 0, 'validate', 0, 'forbid']],
      ['check', ['preflight', 0, 'count']],
    ]);
    expect(usesStructural(plan)).toBe(true);
    expect(usesStructural({ phases: [{ transform: [{ replace: 'a', with: 'b' }] }] })).toBe(false);
  });

  it('leaves out what the schema already rejects (an unknown language)', () => {
    expect(planMatchers({ phases: [{ transform: [{ codemod: 'x', language: 'cobol' }] }] })).toEqual([]);
  });

  it('places a problem where the user wrote it: a pattern is the codemod string itself', () => {
    const [step, check] = planMatchers(plan);
    expect(problemPathInPlan(step, ['pattern'])).toEqual(['phases', 0, 'transform', 1, 'codemod']);
    expect(problemPathInPlan(step, ['rule', 'has'])).toEqual(['phases', 0, 'transform', 1, 'codemod', 'rule', 'has']);
    expect(problemPathInPlan(step, ['fix'])).toEqual(['phases', 0, 'transform', 1, 'fix']);
    expect(problemPathInPlan(check, ['pattern'])).toEqual(['phases', 0, 'validate', 0, 'forbid', 'pattern']);
  });
});
