import { existsSync } from 'node:fs';
import { RefusedError } from '../../errors.js';
import { undoneRef } from '../../git/names.js';
import { currentBranch, resolveCommit } from '../../git/state.js';
import type { TagInfo } from '../../git/tags.js';
import { readPhasegateTags } from '../plan-tags.js';
import { loadPlan } from '../plans/load.js';
import type { PlanDocument } from '../../plan/schema.js';
import type { JournalEntry, RollbackEntry } from '../../state/journal.js';
import type { OperationContext } from '../session.js';
import { performRollback } from './perform.js';
import { leavePlace } from './branch.js';

/** Finish a rollback that was interrupted (crash, kill -9): every stage of it is safe to repeat. */
export async function finishRollback(world: OperationContext, entry: JournalEntry & RollbackEntry): Promise<string> {
  const branch = await currentBranch(world.git);
  if (entry.branch && branch !== entry.branch) {
    throw new RefusedError(`the interrupted rollback was on branch '${entry.branch}' but HEAD is on '${branch ?? 'a detached HEAD'}': switch back with 'git checkout -f ${entry.branch}' and run again`);
  }
  let doc: PlanDocument | undefined;
  if (entry.planFile && existsSync(entry.planFile)) doc = await loadPlan(entry.planFile).then((plan) => plan.document, () => undefined);
  const tags = await readPhasegateTags(world.git, entry.plan);
  const target = tags.get(entry.target);
  if (!target) throw new RefusedError(`the interrupted rollback's target tag for '${entry.target}' is gone; restore by hand with git reset --hard ${entry.targetCommit}`);
  const undo: TagInfo[] = [];
  for (const id of entry.undo) {
    // A tag may already be deleted (the last stage); its commit is on the undone ref.
    const commit = tags.get(id)?.commit ?? (await resolveCommit(world.git, undoneRef(entry.plan, id)));
    if (commit) undo.push(tags.get(id) ?? { name: `phasegate/${entry.plan}/${id}`, phase: id, commit, date: '', message: '', annotated: true });
  }
  const result = await performRollback({ ...world, doc, planFile: entry.planFile },
    { plan: entry.plan, branch: entry.branch, target, undo, strategy: entry.strategy, manual: [] }, entry);
  // Started from another branch: back there, as the uninterrupted rollback would have gone.
  const stayed = entry.returnTo ? await leavePlace(world.git, { branch: entry.branch, away: entry.returnTo }) : undefined;
  return `finished it: the branch${entry.returnTo ? ` ${entry.branch}` : ''} is at ${result.target}${stayed ? `; ${stayed}` : ''}`;
}
