import { parsePlanWith, readPlanFile, type Plan } from '../../plan/load.js';
import type { PlanDocument } from '../../plan/schema.js';
import { usesStructural } from '../../plan/structural-rules.js';

/**
 * Plans as commands load them: the schema and the semantic rules (plan/), then what needs the
 * syntax-tree parser (ast-grep patterns, structural/plan-problems.ts), only when the plan has any:
 * plans without patterns never load the parser. The parser's layer sits above plan/, so the two
 * meet here.
 */
export async function loadPlan(file: string, cwd = process.cwd()): Promise<Plan> {
  const { file: absolute, displayPath, source } = await readPlanFile(file, cwd);
  return { file: absolute, displayPath, document: await parsePlanDeep(source, displayPath), text: source };
}

export async function parsePlanDeep(source: string, displayPath: string): Promise<PlanDocument> {
  return parsePlanWith(source, displayPath, async (data) => {
    if (!usesStructural(data)) return [];
    const { structuralProblems } = await import('../../structural/plan-problems.js');
    return structuralProblems(data);
  });
}
