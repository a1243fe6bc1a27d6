import { recordedPlan } from '../recorded-plan.js';
import { openPlan, type PlanInRepository, type Repository } from '../session.js';
import { findPlanFile, resolvePlanName } from './target.js';

/**
 * Which plan a rollback undoes, asked once: `--plan` when given; else the plan the target's tags
 * name (a full tag name, the only plan with tags, or the only one with that phase), with the plan
 * its phases ran with as their tags recorded it, wherever the file lives (or lived), else
 * `plans/<name>.yaml`. Without any plan the rollback still works from the tags alone, without the
 * phases' rollback steps.
 */
export interface RollbackPlan {
  name: string;
  /** The plan's file and document, when one was found. */
  found: PlanInRepository | undefined;
}

export async function rollbackPlan(repository: Repository, target: string, planOption: string | undefined, cwd: string, notice: (text: string) => void): Promise<RollbackPlan> {
  if (planOption) {
    const found = await openPlan(repository, planOption, cwd);
    return { name: found.doc.name, found };
  }
  const name = await resolvePlanName(repository, target, undefined, undefined);
  const recorded = await recordedPlan(repository, name);
  if (recorded) return { name: recorded.doc.name, found: recorded };
  const file = findPlanFile(repository.root, name);
  if (!file) {
    notice(`note: no plans/${name}.yaml found; undoing without the phases' rollback steps (pass --plan to run them)`);
    return { name, found: undefined };
  }
  const found = await openPlan(repository, file, cwd);
  return { name: found.doc.name, found };
}
