import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GitClient } from '../../git/client.js';
import { uncommittedChanges } from '../../git/state.js';
import type { PlanInRepository } from '../session.js';

/**
 * Put the plan, as it is on disk now, at the same place in a scratch clone, and return the path to
 * run it from. A plan that is committed but edited is committed again in the clone, so the run
 * sees the edit and its tree is clean; an uncommitted plan stays untracked there, as it is in the
 * user's repository — its folder may not exist in the commit the clone starts from (`init` writes
 * plans/ into a repository that never had one). A plan outside the repository is used where it is.
 * A plan recorded with the tags has no file of its own (a read-only command writes nothing in the
 * user's .git): its text is written beside the clone, in its scratch folder (removed with it), so
 * that, as before, the plan is outside the tree the run works on.
 */
export async function placePlan(planInfo: PlanInRepository, cloneRoot: string, clone: GitClient): Promise<string> {
  if ('recordedIn' in planInfo) return placeRecorded(planInfo.plan.text!, cloneRoot);
  if (!planInfo.planPath) return planInfo.plan.file;
  const target = path.join(cloneRoot, planInfo.planPath);
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(planInfo.plan.file, target);
  const tracked = await clone.succeeds(['cat-file', '-e', `HEAD:${planInfo.planPath}`]);
  if (tracked && (await uncommittedChanges(clone)).length > 0) {
    await clone.run(['commit', '--quiet', '--no-verify', '-m', 'phasegate: the plan as it is in the working tree', '--', planInfo.planPath]);
  }
  return target;
}

async function placeRecorded(text: string, cloneRoot: string): Promise<string> {
  const file = path.join(path.dirname(cloneRoot), 'recorded-plan.yaml');
  await writeFile(file, text);
  return file;
}
