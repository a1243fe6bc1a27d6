import type { Problem } from './explain-issues.js';

/**
 * Rules a schema cannot express. They read the raw parsed YAML defensively, so they run (and
 * report) even when other parts of the plan are malformed — a user fixes everything in one pass.
 */
type Rule = (plan: unknown) => Problem[];

const phasesOf = (plan: unknown): unknown[] => {
  const phases = (plan as { phases?: unknown })?.phases;
  return Array.isArray(phases) ? phases : [];
};

const uniquePhaseIds: Rule = (plan) => {
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  phasesOf(plan).forEach((phase, index) => {
    const id = (phase as { id?: unknown })?.id;
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else problems.push({ path: ['phases', index, 'id'], message: `duplicate phase id '${id}' (first used by phases[${first}])` });
  });
  return problems;
};

const oneScorePerPhase: Rule = (plan) =>
  phasesOf(plan).flatMap((phase, phaseIndex) => {
    const validate = (phase as { validate?: unknown })?.validate;
    if (!Array.isArray(validate)) return [];
    const scores = validate.flatMap((entry, index) => (entry && typeof entry === 'object' && 'score' in entry ? [index] : []));
    return scores.slice(1).map((index) => ({ path: ['phases', phaseIndex, 'validate', index], message: 'a phase has at most one score entry' }));
  });

const rules: Rule[] = [uniquePhaseIds, oneScorePerPhase];

export function structureProblems(plan: unknown): Problem[] {
  return rules.flatMap((rule) => rule(plan));
}
