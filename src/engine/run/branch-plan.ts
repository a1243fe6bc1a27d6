import { RefusedError } from '../../errors.js';
import type { GitClient } from '../../git/client.js';
import type { PlanInRepository } from '../session.js';

/**
 * A run reads the plan in the working tree, then switches to the migration branch, where the
 * same file may have been edited and committed between runs (as the SPEC invites). When the two
 * differ, neither choice is safe to guess: running the one from here leaves the branch's plan
 * disagreeing with the tags it gets (the next run stops on "phase changed"), and running the
 * branch's one ignores what the user just pointed at. So the run refuses, before anything moves.
 */
export async function refuseDivergentPlan(git: GitClient, planInfo: PlanInRepository, branch: string, here: string | undefined): Promise<void> {
  const { planPath } = planInfo;
  if (!planPath) return;
  let committed: string;
  try {
    committed = (await git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}:${planPath}`])).trim();
  } catch {
    return; // Not on the branch: the file here is the only plan there is.
  }
  const onDisk = (await git.run(['hash-object', '--', planPath])).trim();
  if (committed === onDisk) return;
  throw new RefusedError(
    `${planInfo.plan.displayPath} differs between ${here ? `branch ${here}` : 'HEAD'} and the migration branch ${branch}, where the run happens; `
    + `run it from there ('git switch ${branch}'), or commit the plan you mean on ${branch} first (nothing was changed)`,
  );
}
