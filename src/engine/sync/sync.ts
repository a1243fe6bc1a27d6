import path from 'node:path';
import { errorMessage, RefusedError } from '../../errors.js';
import { adoptObjects } from '../../git/adopt-objects.js';
import { GitClient } from '../../git/client.js';
import { identitySettings } from '../../git/identity.js';
import { createRef, createTag } from '../../git/checkpoint.js';
import { baseTag, syncAttemptRef, syncReplayTagRef, tagRef } from '../../git/names.js';
import { createTagAt } from '../../git/tag-object.js';
import { readPlanTags } from '../../git/tags.js';
import type { Decisions } from '../decisions.js';
import { failpoint } from '../failpoint.js';
import { cleanUpAfterDeadPhasegate } from '../recovery/after-crash.js';
import { recoverInterrupted } from '../recovery/recover.js';
import { workingTree } from '../../git/state.js';
import { syncDecisions } from './decisions.js';
import { Journal, type SyncEntry } from '../../state/journal.js';
import { RepositoryLock } from '../../state/lock.js';
import { carryInto, carryRequest } from '../scratch/carry.js';
import { withScratchClone } from '../scratch/clone.js';
import { planFileOrRecorded, recordedPlanInTree } from '../recorded-plan.js';
import { openPlan, openRepository, type OperationContext, type PlanInRepository, type Repository } from '../session.js';
import { dropReplayRefs, inPlaceBlocker, putBackInPlace, refsAside, REPLAY_CONFIG, replayJournal, replayStateDir, switchToNewBase } from './in-place.js';
import type { MigrationHistory } from './history.js';
import { stateDir } from '../../state/state-dir.js';
import { recordedBaselines } from '../../git/tag-record.js';
import { baseTagMessage, planSource } from '../tag-record.js';
import { syncTarget } from './target.js';
import { refuseOperationInProgress } from '../../git/operation-in-progress.js';
import { refuseAssumeUnchanged } from '../../git/assume-unchanged.js';
import { keepPreSync, publish } from './publish.js';
import { replay, type PhaseOutcome, type Replay } from './replay.js';

/**
 * `phasegate sync <plan>`: rebuild the migration branch on a base that moved. The rebuild happens
 * in the user's working tree on a detached HEAD when the branch is checked out and clean
 * (in-place.ts), else in a scratch clone; the user's branch and tags move only at the end, all
 * together, and only when every phase passed and every carried commit applied. Otherwise they
 * stay where they were and the attempt is kept on a ref.
 */
export interface SyncOptions {
  cwd: string;
  /** Left out: the plan recorded with the tags (SPEC "Which plan"). */
  plan?: string;
  onto?: string;
  interactive: boolean;
  signal: AbortSignal;
  notice: (text: string) => void;
  confirm?: (phase: PhaseOutcome) => Promise<boolean>;
  /** Guided: asked at a phase whose checks fail on the new base, as a guided run is (see ./decisions.ts). */
  decisions?: Decisions;
}

export interface SyncResult {
  plan: string;
  branch: string;
  onto: string;
  ontoCommit: string;
  phases: PhaseOutcome[];
  /** Branch and tags moved to the rebuild. */
  moved: boolean;
  upToDate: boolean;
  stoppedAt?: string;
  stoppedBy?: Replay['stoppedBy'];
  attemptRef?: string;
  /** Where the branch tip and tags as they were before the sync are kept (`synced/<time>`), moved or not. */
  syncedRef?: string;
  newTip?: string;
  /** Phases whose checks failed and that a person kept without a tag (guided); the sync went on. */
  kept: string[];
}

export async function syncPlan(options: SyncOptions): Promise<SyncResult> {
  const repository = await openRepository(options.cwd);
  const planInfo = recordedPlanInTree(await planFileOrRecorded(repository, options.plan, options.cwd, (file) => openPlan(repository, file, options.cwd)));
  const { doc } = planInfo;
  const { git } = repository;
  const lock = new RepositoryLock(repository.stateDir);
  const taken = lock.acquire(`sync ${doc.name}`);
  if (taken.tookOverFrom) options.notice(`took over a lock left by pid ${taken.tookOverFrom.pid} (no longer running)`);
  const journal = new Journal(repository.stateDir);
  const context = { git, root: repository.root, journal, neverStage: planInfo.neverStage };
  try {
    // Whatever a dead phasegate left half done (a run, a rollback, a sync) is finished or undone first, as `run` does.
    await cleanUpAfterDeadPhasegate(repository, taken.tookOverFrom, journal.read() !== undefined, options.notice);
    const recovered = await recoverInterrupted(context);
    if (recovered) options.notice(recovered);
    await refuseOperationInProgress(repository.git);
    await refuseAssumeUnchanged(repository.git);
    const { state, branch, oldTip, checkedOut, onto, ontoCommit, history, startBranch, untracked } = await syncTarget(repository, planInfo, options.plan ?? doc.name, options.onto);
    const base = state.base!;
    const carry = await carryRequest(git, repository.root, doc, [], options.cwd);
    const identity = await identitySettings(git);
    const when = new Date();

    const result: SyncResult = { plan: doc.name, branch, onto, ontoCommit, phases: [], moved: false, upToDate: false, kept: [] };
    const baseMessage = baseTagMessage(doc.name, branch, { source: planSource(planInfo), baselines: recordedBaselines(base), startBranch });
    const target = { result, planInfo, branch, oldTip, checkedOut, when, history, notice: options.notice, signal: options.signal };
    const blocker = await inPlaceBlocker(git, { checkedOut, carry, untracked, oldBase: base.commit, oldTip, ontoCommit });
    const where = blocker ? `in a scratch clone (not in the working tree: ${blocker})` : 'in the working tree (HEAD detached at the new base until the sync ends)';
    options.notice(`syncing plan '${doc.name}': replaying ${history.phases.length} tagged phase(s) of ${branch} on ${onto} (${ontoCommit.slice(0, 10)}) ${where}`);
    if (!blocker) {
      const entry: SyncEntry = { operation: 'sync', plan: doc.name, branch, stage: 'replay-in-place', inPlace: true, oldTip, checkedOut, protected: [...planInfo.neverStage, ...untracked] };
      await switchToNewBase(git, journal, entry, ontoCommit, repository.stateDir);
      const session = await inPlaceSession(repository, { identity, planInfo, ontoCommit, baseMessage, untracked, options });
      const replayed = await replay(session, history, { confirm: options.confirm, oldBase: base.commit });
      await afterReplay(context, undefined, replayed, { ...target, stateDir: repository.stateDir, ontoCommit, base: base.commit });
      return result;
    }
    await withScratchClone(repository.root, ontoCommit, 'phasegate-sync', async (cloneRoot) => {
      // From here a kill -9 leaves a journal: the next command removes the clone and, if the move had begun, finishes or undoes it.
      journal.write({ operation: 'sync', plan: doc.name, branch, stage: 'replay', scratch: path.dirname(cloneRoot), oldTip, checkedOut, protected: untracked });
      const session = await replaySession(cloneRoot, { root: repository.root, identity, planInfo, carry, ontoCommit, baseMessage, options });
      const replayed = await replay(session, history, { confirm: options.confirm, oldBase: base.commit });
      await afterReplay(context, cloneRoot, replayed, { ...target, stateDir: repository.stateDir, ontoCommit, base: base.commit });
    }, 'sync');
    return result;
  } finally {
    await undoUnfinished(context, options.notice);
    lock.release();
  }
}

/** The scratch clone made ready for the replay: no copies of the plan's tags, carried paths in, a base tag on the new base. */
async function replaySession(cloneRoot: string, what: {
  root: string; identity: Awaited<ReturnType<typeof identitySettings>>; planInfo: PlanInRepository; carry: string[];
  ontoCommit: string; baseMessage: string; options: SyncOptions;
}) {
  const { planInfo, carry, options } = what;
  const { doc } = planInfo;
  const clone = new GitClient(cloneRoot, what.identity);
  // The clone starts fresh: its copies of the plan's tags would make the replay a resume.
  const copied = [...(await readPlanTags(clone, doc.name)).values()].map((tag) => `delete ${tagRef(tag.name)}\n`);
  if (copied.length > 0) await clone.run(['update-ref', '--stdin'], { input: copied.join('') });
  await carryInto(what.root, cloneRoot, clone, carry, options.notice);
  await createTag(clone, baseTag(doc.name), what.ontoCommit, what.baseMessage);
  return {
    ...replaySessionCommon(planInfo, options),
    root: cloneRoot, git: clone, stateDir: await stateDir(clone), neverStage: [...carry],
    journal: new Journal(await stateDir(clone)), branch: 'phasegate-sync',
  };
}

/** What a replay's session is wherever it runs: the plan, the sync's decisions and signal, no line counts. */
function replaySessionCommon(planInfo: PlanInRepository, options: SyncOptions) {
  return {
    ...planInfo, decisions: syncDecisions(options.decisions), signal: options.signal,
    env: { PHASEGATE_PLAN: planInfo.doc.name }, interactive: options.interactive, warnings: [] as string[], stopped: false,
    // Nothing a sync shows or writes names changed lines.
    countLines: false,
  };
}

interface SyncWork {
  result: SyncResult; planInfo: PlanInRepository; branch: string; oldTip: string; checkedOut: boolean; when: Date;
  history: MigrationHistory; notice: (text: string) => void; stateDir: string; ontoCommit: string; base: string; signal: AbortSignal;
}

/**
 * What the replay came to: stopped (the attempt kept, nothing of the user's moved), up to date
 * (nothing to move), or published. `cloneRoot` undefined: the replay ran in place (in-place.ts),
 * and whatever does not publish puts HEAD and the working tree back on the branch.
 */
async function afterReplay(context: OperationContext, cloneRoot: string | undefined, replayed: Replay, work: SyncWork): Promise<void> {
  const { git, journal } = context;
  const { result, planInfo } = work;
  const { doc } = planInfo;
  result.phases = replayed.phases;
  result.stoppedAt = replayed.stoppedAt;
  result.stoppedBy = replayed.stoppedBy;
  result.kept = replayed.phases.filter((phase) => phase.outcome === 'kept').map((phase) => phase.id);
  const putBack = async () => {
    const entry = journal.read();
    if (!cloneRoot && entry?.operation === 'sync') await putBackInPlace(context, entry, work.stateDir, { keepAttempt: false });
    journal.clear();
  };
  if (replayed.stoppedAt) {
    result.attemptRef = await keepAttempt(git, cloneRoot, replayed.attempt, syncAttemptRef(doc.name, work.when));
    await putBack();
    // Stopped by a phase or a commit (SPEC: failed/conflict), not by Ctrl-C, which only puts back.
    if (!work.signal.aborted) {
      const phases = work.history.phases.map((segment) => segment.state.phase.id);
      result.syncedRef = await keepPreSync(git, { plan: doc.name, branch: work.branch, phases, when: work.when });
    }
    return;
  }
  if (work.ontoCommit === work.base && replayed.phases.every((phase) => phase.outcome === 'same')) {
    result.upToDate = true;
    await putBack();
    return;
  }
  await publishRebuild(context, cloneRoot, { ...work, attempt: replayed.attempt });
}

/** The user's repository made ready for an in-place replay (HEAD detached at the new base already). */
async function inPlaceSession(repository: Repository, what: {
  identity: Awaited<ReturnType<typeof identitySettings>>; planInfo: PlanInRepository; ontoCommit: string; baseMessage: string;
  untracked: string[]; options: SyncOptions;
}) {
  const { planInfo, options } = what;
  const { doc } = planInfo;
  const git = repository.git.withConfig([...what.identity, ...REPLAY_CONFIG]);
  await createTagAt(git, syncReplayTagRef(doc.name, 'base'), baseTag(doc.name), what.ontoCommit, what.baseMessage);
  return {
    ...replaySessionCommon(planInfo, options),
    // Its command logs go with its journal, so the user's last run keeps its own (under .git/phasegate/logs).
    root: repository.root, git, stateDir: replayStateDir(repository.stateDir), neverStage: [...planInfo.neverStage, ...what.untracked],
    journal: replayJournal(repository.stateDir), branch: null, refsAside: refsAside(doc.name),
  };
}

/** Moves the branch and tags to the rebuild (journal first); on failure keeps the attempt and puts everything back. */
async function publishRebuild(context: OperationContext, cloneRoot: string | undefined, what: SyncWork & { attempt: string }): Promise<void> {
  const { git, journal } = context;
  const { result, planInfo, branch, oldTip, checkedOut, when, history } = what;
  const { doc } = planInfo;
  try {
    // What is untracked right before the move stays untouched even if the move is undone (the user may have worked meanwhile).
    // In place the working tree is the replay's: what was untracked when the sync began is what is protected.
    if (cloneRoot) journal.update({ protected: (await workingTree(git, planInfo.neverStage)).untracked });
    const published = await publish(git, cloneRoot, {
      plan: doc.name, branch, oldTip, checkedOut, when, untagged: result.kept,
      phases: history.phases.map((segment) => segment.state.phase.id).filter((id) => !result.kept.includes(id)),
      beforeMove: (newTip, moves) => journal.update({ stage: 'publish', newTip, moves }),
    });
    failpoint('sync-after-refs');
    if (!cloneRoot) await dropReplayRefs(git, doc.name, what.stateDir);
    journal.clear();
    Object.assign(result, { moved: true, syncedRef: published.synced, newTip: published.newTip });
  } catch (error) {
    result.attemptRef = await keepAttempt(git, cloneRoot, what.attempt, syncAttemptRef(doc.name, when)).catch(() => undefined);
    // publish undid what it could; the journal makes sure of it (every ref back, the working tree too).
    await undoUnfinished(context, what.notice);
    throw new RefusedError(`the rebuild succeeded but could not be put in place: ${(error as Error).message}; ` +
      `${branch} and its tags are unchanged${result.attemptRef ? `, the rebuilt branch is kept at ${result.attemptRef}` : ''}`);
  }
}

/** A sync that threw (Ctrl-C, a git error) after writing its journal: undone now rather than by the next command. */
async function undoUnfinished(context: OperationContext, notice: (text: string) => void): Promise<void> {
  const entry = context.journal.read();
  if (entry?.operation !== 'sync' || entry.pid !== process.pid) return;
  try {
    const { finishInterruptedSync } = await import('../recovery/sync-interrupted.js');
    const done = await finishInterruptedSync(context, entry, { inProcess: true });
    if (entry.stage === 'publish') notice(`the sync did not finish: ${done}`);
  } catch (error) {
    notice(`could not clean up after the sync (${errorMessage(error)}); the next phasegate command will`);
  }
}

/** Bring the attempt's objects over from the clone (its new objects live there) and keep its commit on a new ref. */
async function keepAttempt(git: GitClient, cloneRoot: string | undefined, commit: string, ref: string): Promise<string> {
  if (cloneRoot) await adoptObjects(git, cloneRoot);
  return createRef(git, ref, commit, 'phasegate sync: the attempted rebuild');
}
