import { UnrecoverableError, errorMessage } from '../../errors.js';
import { commitTreeOn, deleteTagsQuietly, updateRef, updateRefs } from '../../git/checkpoint.js';
import type { GitClient } from '../../git/client.js';
import { commitMessage, discardedRef, undoneRef } from '../../git/names.js';
import { resetTo, restoreByHand, type Discard } from '../../git/restore.js';
import { headCommit, treeOf } from '../../git/state.js';
import { pathsRemovedBetween } from '../../git/reset-leftovers.js';
import type { TagInfo } from '../../git/tags.js';
import type { PlanDocument } from '../../plan/schema.js';
import { runRollbackSteps } from './steps.js';
import { failpoint } from '../failpoint.js';
import { runHooks } from '../hooks.js';
import type { RollbackEntry } from '../../state/journal.js';
import type { OperationContext } from '../session.js';
import { parseTagMessage } from '../../git/tag-record.js';
import { phaseAsTagged } from '../recorded-plan.js';
import { firstFew } from '../../words.js';

/**
 * Undo phases back to a tag: keep each undone phase's commit on `refs/phasegate/<plan>/undone/<id>`,
 * move the branch (reset) or add revert commits (revert) so the tree equals the target tag's tree,
 * run the undone phases' rollback steps newest first, and delete their tags. Every stage is in the
 * journal; an interrupted rollback is finished by calling this again with the journal entry.
 */
export interface RollbackWorld extends OperationContext {
  doc: PlanDocument | undefined;
  planFile: string | undefined;
  /** Ctrl-C: stops the running rollback step and skips the rest; git's part always completes. */
  signal?: AbortSignal;
  /** The plan was named (--plan): its rollback steps override the ones recorded in the tags. */
  planGiven?: boolean;
}

export interface RollbackRequest {
  plan: string;
  branch: string | null;
  target: TagInfo;
  undo: TagInfo[];
  strategy: 'reset' | 'revert';
  /** Commits after the newest phase tag that are not any phase's (manual work). */
  manual: string[];
  /** HEAD as the caller saw it, when it just asked (saves asking git again). */
  head?: string;
  /** Where the user started, when the rollback switched to the migration branch. */
  returnTo?: { branch?: string; commit: string };
}

export interface UndonePhase {
  id: string;
  title: string;
  commit: string;
  ref: string;
  steps: { command: string; ok: boolean; detail: string }[];
}

export interface RollbackResult {
  target: string;
  strategy: 'reset' | 'revert';
  undone: UndonePhase[];
  manualRef?: string;
  head: string;
  durationMs: number;
  warnings: string[];
  /** Ctrl-C stopped a rollback step or kept one from starting (the warnings name them). */
  interrupted: boolean;
}

export async function performRollback(world: RollbackWorld, request: RollbackRequest, resume?: RollbackEntry): Promise<RollbackResult> {
  const started = performance.now();
  const { git, journal } = world;
  const entry: RollbackEntry = resume ?? {
    operation: 'rollback', plan: request.plan, branch: request.branch, stage: 'rollback', target: request.target.phase,
    targetCommit: request.target.commit, strategy: request.strategy, originalHead: request.head ?? (await headCommit(git)),
    undo: request.undo.map((tag) => tag.phase), done: 0, planFile: world.planFile, protected: world.neverStage,
    ...(request.returnTo ? { returnTo: request.returnTo } : {}),
  };
  journal.write(entry);
  const warnings: string[] = [];
  const undone: UndonePhase[] = request.undo.map((tag) => ({
    id: tag.phase, title: titleOf(tag, world.doc), commit: tag.commit, ref: undoneRef(request.plan, tag.phase), steps: [],
  }));

  // What the reset will delete, read while the refs are written and the reset runs: the only
  // places it can leave an untracked file (git/reset-leftovers.ts). Not when the rollback switched
  // branches (the checkout deleted files too) nor when it finishes a crashed one (its steps may
  // have run): then the whole tree is walked.
  const removing = resume || request.returnTo ? undefined : pathsRemovedBetween(git, entry.originalHead, entry.targetCommit);
  removing?.catch(() => undefined);
  await updateRefs(git, undone.map((phase) => ({ ref: phase.ref, commit: phase.commit })), `phasegate: rollback to ${request.target.name}`);
  let manualRef: string | undefined;
  if (request.manual.length > 0) {
    manualRef = `refs/phasegate/${request.plan}/undone/manual-${stamp(new Date())}`;
    await updateRef(git, manualRef, entry.originalHead, 'phasegate: commits after the last phase tag');
  }
  failpoint('during-rollback');

  // Where HEAD is once the branch moved: the target itself, or the last revert commit.
  let head = entry.targetCommit;
  let left: string[];
  const discard: Discard = {
    keep: world.neverStage, ref: discardedRef(request.plan, new Date()),
    message: `${request.plan}: untracked files removed by the rollback to ${request.target.name}\n`,
  };
  try {
    if (entry.strategy === 'revert') {
      head = entry.finalCommit ?? (await revertCommits(git, request, entry.originalHead, undone));
      if (!entry.finalCommit) journal.update({ finalCommit: head });
    }
    const outcome = await resetTo(git, head, discard, removing);
    left = outcome.left;
    if (outcome.keptAt) warnings.push(`removed ${outcome.removed.length} untracked file(s) that were not there before (${firstFew(outcome.removed)}); kept at ${outcome.keptAt}`);
  } catch (error) {
    throw new UnrecoverableError(`could not move the branch back to ${request.target.name}: ${errorMessage(error)}\n` +
      `do it by hand: ${restoreByHand(request.target.name)}; the undone phases are kept at refs/phasegate/${request.plan}/undone/`);
  }
  await verifyTree(git, request.target, left);

  await runUndoneSteps(world, request, undone, entry.done, warnings);
  await deleteTagsQuietly(git, request.undo.map((tag) => tag.name));
  journal.clear();
  return {
    target: request.target.name, strategy: entry.strategy, undone, manualRef, head,
    durationMs: Math.round(performance.now() - started), warnings, interrupted: Boolean(world.signal?.aborted),
  };
}

/** Each undone phase's rollback steps and after-rollback hooks, from `done` on (a resumed rollback skips what ran). */
async function runUndoneSteps(world: RollbackWorld, request: RollbackRequest, undone: UndonePhase[], done: number, warnings: string[]): Promise<void> {
  for (let index = done; index < undone.length; index++) {
    const phase = undone[index];
    // Each phase's rollback steps as they were when it was tagged (the plan file may have changed since).
    const definition = await phaseAsTagged(world.git, request.undo[index], world.doc, world.planGiven === true);
    phase.steps = await runRollbackSteps(definition, { root: world.root, env: { PHASEGATE_PLAN: request.plan }, signal: world.signal });
    for (const step of phase.steps.filter((s) => !s.ok)) warnings.push(`rollback step \`${step.command}\` of phase '${phase.id}' ${step.detail}`);
    let hookCount = 0;
    if (world.doc && !world.signal?.aborted) {
      const hooks = await runHooks(world.doc, 'after-rollback', { root: world.root, env: { PHASEGATE_PLAN: request.plan } },
        { plan: request.plan, phase: phase.id, tag: request.target.name, status: 'rolled-back' });
      for (const hook of hooks.filter((h) => !h.ok)) warnings.push(`after-rollback hook \`${hook.command}\` ${hook.detail}`);
      hookCount = hooks.length;
    }
    // Progress matters only when something ran (a resumed rollback must not run it twice); each
    // journal write is an fsync, slow right after a reset has written thousands of files.
    if (phase.steps.length > 0 || hookCount > 0) world.journal.update({ done: index + 1 });
  }
}

/**
 * Revert commits built from trees, newest phase first: each commit's tree is the checkpoint before
 * the phase it reverts, so no merge can conflict and the last one's tree is the target's exactly.
 */
async function revertCommits(git: GitClient, request: RollbackRequest, originalHead: string, undone: UndonePhase[]): Promise<string> {
  let parent = originalHead;
  const commit = async (tree: string, message: string) => {
    parent = await commitTreeOn(git, tree, parent, message);
  };
  const newest = request.undo[0]?.commit ?? request.target.commit;
  if (request.manual.length > 0) {
    await commit(await treeOf(git, newest), `${request.plan}: revert ${request.manual.length} commit(s) made after the last phase tag\n\nPhasegate-Revert: manual\n`);
  }
  for (let index = 0; index < undone.length; index++) {
    const before = request.undo[index + 1]?.commit ?? request.target.commit;
    const phase = undone[index];
    const message = `Revert "${commitMessage(request.plan, phase.title, phase.id).split('\n')[0]}"\n\nThis undoes phase ${phase.id} (${phase.commit.slice(0, 10)}).\n\nPhasegate-Revert: ${phase.id}\n`;
    await commit(await treeOf(git, before), message);
  }
  return parent;
}

/**
 * HEAD's tree is the target's, and nothing untracked is left (`left`, as resetTo found it after
 * cleaning). Tracked files need no second look: `reset --hard` fails when it cannot write one. A
 * full `git status` here cost ~150–200 ms at 20,000 files (every file stat'ed, the files the reset
 * just wrote hashed again), half the budget of a rollback's own work.
 */
async function verifyTree(git: GitClient, target: TagInfo, left: string[]): Promise<void> {
  const [head, wanted] = await Promise.all([treeOf(git, 'HEAD'), treeOf(git, target.commit)]);
  if (head !== wanted || left.length > 0) {
    throw new UnrecoverableError(`after the rollback the tree does not equal ${target.name}${left.length ? ` (left: ${firstFew(left, 5)})` : ''}; ` +
      `restore it by hand: ${restoreByHand(target.name)}`);
  }
}

function titleOf(tag: TagInfo, doc: PlanDocument | undefined): string {
  return doc?.phases.find((phase) => phase.id === tag.phase)?.title ?? parseTagMessage(tag.message)?.title ?? tag.phase;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}
