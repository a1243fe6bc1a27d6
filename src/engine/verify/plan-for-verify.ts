import type { Repository, PlanInRepository } from '../session.js';
import { openPlan } from '../session.js';

/**
 * The plan `verify` judges with. For now the plan named on the command line (a path or a bare name
 * under plans/). When tags record the plan text their phase ran with (SPEC "Which plan"), this is
 * the one place to switch: a phase's checks should then come from its tag's record, so that `main`
 * is verified with the checks the migration passed, wherever the plan file lives now.
 */
export async function planForVerify(repository: Repository, planArgument: string, cwd: string): Promise<PlanInRepository> {
  return openPlan(repository, planArgument, cwd);
}
