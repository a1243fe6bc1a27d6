import { planFileOrRecorded, recordedPlanInTree } from '../recorded-plan.js';
import type { Repository, PlanInRepository } from '../session.js';
import { openPlan } from '../session.js';

/**
 * The plan `verify` judges with: the plan file named on the command line when it exists (a path, or
 * a bare name under plans/), else the plan recorded with that plan's tags (SPEC "Which plan"; also
 * when no plan is named), so `main` can be verified after the migration merged wherever the plan
 * file lives now.
 */
export async function planForVerify(repository: Repository, planArgument: string | undefined, cwd: string): Promise<PlanInRepository> {
  return recordedPlanInTree(await planFileOrRecorded(repository, planArgument, cwd, (file) => openPlan(repository, file, cwd)));
}
