import { RefusedError } from '../../errors.js';
import { baseTag, defaultBranch } from '../../git/names.js';
import { currentBranch, resolveCommit, workingTree } from '../../git/state.js';
import { worktreeWithBranch } from '../../git/worktrees.js';
import { readPlanState, type PlanState } from '../plan-state.js';
import type { PlanInRepository, Repository } from '../session.js';
import { recordedBranch } from '../../git/tag-record.js';
import { readHistory, type MigrationHistory } from './history.js';
import { startBranchOf } from './onto.js';

/**
 * What a sync works on — the migration branch, its tip and history, the base to rebuild onto —
 * or a refusal (exit 2, nothing changed) when it cannot safely start.
 */
export interface SyncTarget {
  state: PlanState;
  branch: string;
  oldTip: string;
  /** The migration branch is HEAD here: the working tree follows it. */
  checkedOut: boolean;
  onto: string;
  ontoCommit: string;
  history: MigrationHistory;
  /** Recorded in the new base tag, so the next sync finds the same default. */
  startBranch: string | null;
  /** Untracked files (outside the plan's neverStage) as the sync starts: left alone wherever it replays. */
  untracked: string[];
}

export async function syncTarget(repository: Repository, planInfo: PlanInRepository, planArgument: string, ontoFlag: string | undefined): Promise<SyncTarget> {
  const { git } = repository;
  const { doc } = planInfo;
  const state = await readPlanState(git, doc);
  if (!state.base) throw new RefusedError(`plan '${doc.name}' has not started here (no tag ${baseTag(doc.name)}): run it first with 'phasegate run ${planArgument}'`);
  if (state.strayTags.length > 0) {
    throw new RefusedError(`the tag ${state.strayTags[0].name} is for a phase plan '${doc.name}' no longer has, so sync cannot replay it: ` +
      `roll back to before it, or put the phase back in the plan (nothing was changed)`);
  }
  if (!state.phases.some((phase) => phase.tag)) throw new RefusedError(`no phase of plan '${doc.name}' is tagged yet: nothing to sync`);
  const here = await currentBranch(git);
  const branch = recordedBranch(state.base) ?? (doc.branch ?? defaultBranch(doc.name));
  const oldTip = await resolveCommit(git, `refs/heads/${branch}`);
  if (!oldTip) throw new RefusedError(`the migration branch ${branch} does not exist: nothing to sync`);
  const checkedOut = here === branch;
  const elsewhere = await worktreeWithBranch(git, branch, repository.root);
  if (elsewhere) throw new RefusedError(`the migration branch ${branch} is checked out in another worktree (${elsewhere}): run phasegate sync there, or switch that worktree to another branch first (nothing was changed)`);
  const tree = await workingTree(git, planInfo.neverStage);
  if (tree.changes.length > 0) {
    throw new RefusedError(`the working tree has uncommitted changes; commit or stash them first:\n${tree.changes.map((line) => `  ${line}`).join('\n')}`);
  }
  if (ontoFlag?.trim() === '') throw new RefusedError(`--onto was given an empty value: say which branch, tag or commit to rebuild onto, or leave --onto out for ${(await startBranchOf(git, state.base, branch)) ?? 'the branch the migration started from'}`);
  const onto = ontoFlag ?? (await startBranchOf(git, state.base, branch));
  if (!onto) throw new RefusedError(`cannot tell which branch plan '${doc.name}' started from (neither main nor master exists): say it with --onto <ref>`);
  const ontoCommit = await resolveCommit(git, onto);
  if (!ontoCommit) throw new RefusedError(`--onto ${onto}: no such branch, tag or commit`);
  // A base that holds the phases' own commits (the migration branch itself, main after the merge)
  // would get the migration replayed on top of itself: nothing to rebuild.
  const firstPhaseCommit = state.phases.map((phase) => phase.tag?.commit).find((commit) => commit && commit !== state.base?.commit);
  if (firstPhaseCommit && (await git.succeeds(['merge-base', '--is-ancestor', firstPhaseCommit, ontoCommit]))) {
    throw new RefusedError(`${onto} already contains the migration's phase commits, so there is nothing to rebuild onto it ` +
      `(nothing was changed): to check it still holds, run phasegate verify ${planArgument} --ref ${onto}`);
  }
  const history = await readHistory(git, state.base, oldTip, state.phases);
  const startBranch = (await startBranchOf(git, state.base, branch)) ?? null;
  return { state, branch, oldTip, checkedOut, onto, ontoCommit, history, startBranch, untracked: tree.untracked };
}
