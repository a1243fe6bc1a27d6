import { RefusedError } from '../../errors.js';
import { branchesContaining, headCommit, isAncestor } from '../../git/state.js';
import { firstFew } from '../../words.js';
import { checkpointBefore, type PlanState } from '../plan-state.js';
import type { RunSession } from './run-session.js';

/**
 * Where a run starts and ends. Without --from it resumes at the first untagged phase, but only
 * from a HEAD that contains the last checkpoint, and only if no completed phase was edited since
 * its tag (unless the user says to go on: guided, a prompt; unattended, --from).
 */
export interface Range { from: number; to: number; explicitFrom: boolean }

export function phaseRange(ids: string[], from: string | undefined, to: string | undefined): Range {
  const find = (id: string, flag: string) => {
    const index = ids.indexOf(id);
    if (index < 0) throw new RefusedError(`${flag} ${id}: no such phase (phases: ${ids.join(', ')})`);
    return index;
  };
  const range = { from: from ? find(from, '--from') : 0, to: to ? find(to, '--to') : ids.length - 1, explicitFrom: from !== undefined };
  if (range.from > range.to) throw new RefusedError(`--from ${from} comes after --to ${to} in the plan`);
  return range;
}

/**
 * Which phases to run (not to be confused with runPlan, which runs them), after checking that
 * resuming from the tags is safe. `head`: HEAD's commit when the run read it moments ago and
 * nothing could have moved it since; else it is asked here.
 */
export async function phasesToRun(session: RunSession, state: PlanState, range: Range, head?: string): Promise<{ start: number; end: number; nothingToDo?: string; head?: string }> {
  let start = range.from;
  if (!range.explicitFrom) {
    const untagged = state.phases.findIndex((phase) => !phase.tag);
    if (untagged < 0 || untagged > range.to) {
      refuseEditedWhenAllTagged(state, range);
      return { start, end: range.to, nothingToDo: `every phase${range.to < state.phases.length - 1 ? ` up to '${state.phases[range.to].phase.id}'` : ''} is already tagged; nothing to do` };
    }
    start = untagged;
  }
  const checkpoint = checkpointBefore(state, start);
  head ??= await headCommit(session.git);
  if (checkpoint && !(await isAncestor(session.git, checkpoint.commit, head))) {
    // Started on a branch that never had the phases (back on main, "start here"): the advice to
    // reset would move that branch onto the migration's commits. Say where the phases are.
    const holders = await branchesContaining(session.git, checkpoint.commit);
    if (holders.length > 0) {
      throw new RefusedError(`HEAD (${head.slice(0, 10)}) does not contain the checkpoint ${checkpoint.name}: the phases so far are on ${holders.length === 1 ? 'branch' : 'branches'} ${firstFew(holders)}. ` +
        `Run there (git switch ${holders[0]}, or choose that branch when asked)`);
    }
    throw new RefusedError(`HEAD (${head.slice(0, 10)}) is not at the checkpoint ${checkpoint.name} (${checkpoint.commit.slice(0, 10)}) nor a descendant of it: the branch was reset or rebased since. ` +
      `Go back with 'phasegate rollback ${checkpoint.phase}' or 'git reset --hard ${checkpoint.name}', then run again`);
  }
  const changed = state.phases.slice(0, start).filter((phase) => phase.changed);
  const asks = changed.length > 0 && !range.explicitFrom;
  if (asks && !(await session.decisions.planChanged(changed.map((p) => ({ id: p.phase.id }))))) {
    const names = changed.map((p) => `'${p.phase.id}'`).join(', ');
    throw new RefusedError(`phase ${names} changed in the plan since ${changed.length === 1 ? 'it was' : 'they were'} tagged. ` +
      `Re-run from it with --from ${changed[0].phase.id}, or keep the tagged result and go on with --from ${state.phases[start].phase.id}`);
  }
  // HEAD as it was checked, for the base tag (run-plan.ts); not after a question, which may take
  // the user a while (and HEAD may move meanwhile).
  return { start, end: range.to, head: asks ? undefined : head };
}


/**
 * Every phase in range is tagged, so there is no next phase to go on to: an edit made since a tag
 * would otherwise pass unseen as "nothing to do". Applying it means going back to before it.
 */
function refuseEditedWhenAllTagged(state: PlanState, range: Range): void {
  const phases = state.phases.slice(0, range.to + 1);
  const first = phases.findIndex((phase) => phase.changed);
  if (first < 0) return;
  const changed = phases.filter((phase) => phase.changed).map((p) => `'${p.phase.id}'`);
  const before = first === 0 ? 'base' : phases[first - 1].phase.id;
  throw new RefusedError(`phase ${changed.join(', ')} changed in the plan since ${changed.length === 1 ? 'it was' : 'they were'} tagged, and every phase is already tagged, so nothing was run. ` +
    `To apply the edit, go back to before it with 'phasegate rollback ${before}' and run again`);
}
