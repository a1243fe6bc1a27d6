import { InterruptedError, PhasegateError, RefusedError, UnrecoverableError, errorMessage, ExitCode } from '../../errors.js';
import { createTag } from '../../git/checkpoint.js';
import { baseTag, defaultBranch } from '../../git/names.js';
import { checkoutBranch, createBranchAtHead, removeNewBranch } from '../../git/restore.js';
import { refuseHeldIndexLock } from '../../git/index-lock.js';
import { refuseOperationInProgress } from '../../git/operation-in-progress.js';
import { switchToBranch } from '../../git/in-the-way.js';
import { refuseUnusableSigning, signingSettings } from '../../git/signing.js';
import { probeRepository } from '../../git/repository-probe.js';
import { branchExists, currentBranch, headCommit, type WorkingTree } from '../../git/state.js';
import { protectUntracked } from './working-tree.js';
import { headPosition } from './head-guard.js';
import { listedIn, refuseSparseCheckout } from '../../git/sparse.js';
import { taggedIndexEntries } from '../../git/index-listing.js';
import { refuseAssumeUnchanged } from '../../git/assume-unchanged.js';
import { warmRegexWorkerFor } from '../../regex/warm.js';
import { refuseDivergentPlan } from './branch-plan.js';
import type { RunReport, PhaseReport } from '../../report/model.js';
import { planHash } from '../../plan/hash.js';
import { VERSION } from '../../version.js';
import { ahead } from '../ahead.js';
import type { Decisions, PlanOverview } from '../decisions.js';
import { Journal } from '../../state/journal.js';
import { RepositoryLock, type LockOwner } from '../../state/lock.js';
import { readPlanState, type PlanState } from '../plan-state.js';
import { baseTagMessage, planSource } from '../tag-record.js';
import { phaseRange, phasesToRun, type Range } from './resume.js';
import type { RunSession } from './run-session.js';
import type { PhaseRun } from './phase-run.js';
import { openPlan, openRepository } from '../session.js';
import { refuseEscapingRenames } from '../../scope/confine.js';

type PhaseModules = typeof import('./phase-modules.js');

export interface RunOptions {
  cwd: string;
  plan: string;
  branch?: string;
  noBranch: boolean;
  from?: string;
  to?: string;
  decisions: Decisions;
  interactive: boolean;
  /** A report a person reads will show changed lines (`--summary`, `--pr-body`); a guided run counts them anyway. */
  countLines?: boolean;
  signal: AbortSignal;
  /** Printed notices (recovery, warnings) go here; the task list has the terminal otherwise. */
  notice: (text: string) => void;
  /**
   * The working tree's status, asked as the process started (git/early-status.ts): used when
   * nothing can have changed the tree since (no recovery, no dead phasegate), else asked again.
   */
  status?: Promise<WorkingTree>;
  /** The report as it stands when the run ends in an error instead of an outcome (to write it anyway). */
  onError?: (report: RunReport) => void | Promise<void>;
}

export interface RunOutcome {
  report: RunReport;
  exitCode: number;
}

/**
 * `phasegate run`: refuse what is unsafe, pick the branch, resume where the tags say, then run
 * each phase as a task; a failed phase is reverted by its task's rollback and stops the run.
 */
export async function runPlan(options: RunOptions): Promise<RunOutcome> {
  // What runs the phases (with listr2, the heaviest module a run needs: ~100 ms together) loads
  // while git answers the start-up questions, not before the first is asked.
  const modules = ahead(import('./phase-modules.js'));
  const { session, report, lock, tookOverFrom, ahead: asked } = await openRun(options);
  let runs: PhaseRun[] = [];
  let state: PlanState | undefined;
  try {
    const untouched = await refuseUnsafeStart(session, tookOverFrom, options, asked);
    const start = await askWhereToStart(session, options, untouched ? asked.start : undefined, await modules);
    state = start.state;
    if (!start.choice) {
      report.result = 'stopped';
      report.message = 'nothing changed: you chose not to start';
      return finish(report, ExitCode.ok, session, [], await modules);
    }
    const place = await enterBranch(session, start, start.choice);
    const prepared = await prepareRuns(session, options, report, place, start, asked.signing, await modules).catch(async (error: unknown) => {
      // Before the first phase, a failure puts back the branch that was checked out and removes one made here.
      await place.undo();
      throw error;
    });
    if ('nothingToDo' in prepared) return finish(report, ExitCode.ok, session, [], await modules, undefined, state);
    runs = prepared.runs;
    return await runPhases(session, report, runs, state, await modules, options);
  } catch (error) {
    throw await refusedOrFailed(report, error, options);
  } finally {
    lock.release();
  }
}

/**
 * Read-only questions asked ahead, each beside others instead of one after the other: whether
 * files are skip-worktree, where the run starts, how git signs. The first two are used only when
 * nothing touched the repository meanwhile (no dead phasegate, no recovery), else asked again;
 * configuration is not something a run changes.
 */
interface AskedAhead {
  /** `ls-files -v`: every tracked file, tagged (S: skip-worktree; lower case: assume-unchanged). */
  indexEntries: Promise<string[]>;
  start: Promise<StartReads>;
  signing: Promise<string[]>;
}

/** The signing settings as the repository probe read them with the identity (one git process for both). */
async function signingRead(session: RunSession, cwd: string): Promise<string[]> {
  return (await probeRepository(cwd))?.signing ?? signingSettings(session.git);
}

/** The repository, the plan, the lock, the journal, and the report and session the run fills in. */
async function openRun(options: RunOptions): Promise<{ session: RunSession; report: RunReport; lock: RepositoryLock; tookOverFrom: LockOwner | undefined; ahead: AskedAhead }> {
  const repository = await openRepository(options.cwd);
  // One listing answers whether the plan file is tracked now and, later, whether files are skip-worktree.
  const indexEntries = ahead(taggedIndexEntries(repository.git));
  const planInfo = await openPlan(repository, options.plan, options.cwd, (file) => listedIn(indexEntries, file));
  await refuseEscapingRenames(planInfo.plan, repository.root);
  const { doc } = planInfo;
  warmRegexWorkerFor(doc);
  const lock = new RepositoryLock(repository.stateDir);
  const taken = lock.acquire(`run ${doc.name}`);
  if (taken.tookOverFrom) options.notice(`took over a lock left by pid ${taken.tookOverFrom.pid} (no longer running)`);
  const journal = new Journal(repository.stateDir);
  const report: RunReport = {
    tool: { name: 'phasegate', version: VERSION },
    plan: doc.name, planTitle: doc.title ?? doc.name, planFile: planInfo.plan.displayPath,
    planHash: planHash(doc),
    repository: repository.root, branch: null, dryRun: false, startedAt: new Date().toISOString(), endedAt: '',
    durationMs: 0, result: 'error', exitCode: ExitCode.refused, changed: false, phases: [],
  };
  const session: RunSession = {
    ...repository, ...planInfo, journal, decisions: options.decisions, signal: options.signal, branch: null,
    env: { PHASEGATE_PLAN: doc.name }, interactive: options.interactive, warnings: [], stopped: false,
    countLines: options.decisions.guided || Boolean(options.countLines),
  };
  // Asked once the lock is held (no other phasegate changes tags or branches now), beside the checks of refuseUnsafeStart.
  const asked: AskedAhead = { indexEntries, start: ahead(readWhereToStart(session, options)), signing: ahead(signingRead(session, options.cwd)) };
  return { session, report, lock, tookOverFrom: taken.tookOverFrom, ahead: asked };
}

/**
 * What a dead phasegate left, a held index lock, an interrupted phase, a dirty tree, a sparse
 * checkout. True when nothing may have touched the repository since the process started, so that
 * what was asked ahead holds.
 */
async function refuseUnsafeStart(session: RunSession, tookOverFrom: LockOwner | undefined, { notice, status }: RunOptions, asked: AskedAhead): Promise<boolean> {
  const { git, root, journal } = session;
  // git holds index.lock while its status compares the tree: phasegate's own status (started with
  // the process, main.ts) is over before a held lock is taken for another git's.
  const ownStatus = await status?.catch(() => undefined);
  const interrupted = journal.read() !== undefined;
  // Only after a dead phasegate (its lock taken over, or its journal left) is there anything to clean up or recover.
  if (tookOverFrom || interrupted) await (await import('../recovery/after-crash.js')).cleanUpAfterDeadPhasegate(session, tookOverFrom, interrupted, notice);
  const lockHeld = await refuseHeldIndexLock(git);
  const recovered = interrupted ? await (await import('../recovery/recover.js')).recoverInterrupted({ git, root, journal, neverStage: session.neverStage }) : undefined;
  if (recovered) notice(recovered);
  // The status asked at start holds only if nothing may have touched the tree since: no dead
  // phasegate (its commands may still have been writing), no recovery, no other git holding the index.
  const untouched = !tookOverFrom && !interrupted && !recovered && !lockHeld.waited;
  const early = untouched ? ownStatus : undefined;
  await refuseOperationInProgress(git);
  const listed = untouched ? asked.indexEntries : taggedIndexEntries(git);
  // Asked side by side: ~20 ms each at 20,000 files.
  await Promise.all([protectUntracked(session, notice, early), refuseSparseCheckout(git, listed), refuseAssumeUnchanged(git, listed)]);
  return untouched;
}

interface StartChoice {
  range: Range;
  startBranch: string | undefined;
  /** The migration branch the plan asks for, and whether it exists. */
  target: string | null;
  targetExists: boolean;
  /** Tags are repository-wide: the state read here holds on whichever branch the run moves to. */
  state: PlanState;
  choice: Awaited<ReturnType<Decisions['start']>>;
  /** HEAD as read ahead of an unattended choice (no prompt let time pass); undefined otherwise. */
  head?: string;
}

interface StartReads {
  startBranch: string | undefined;
  /** HEAD's commit as it was read with the branch. */
  head: string;
  targetExists: boolean;
  state: PlanState;
}

/** The migration branch the run asks for (null: --no-branch). */
function targetBranch(session: RunSession, options: RunOptions): string | null {
  return options.noBranch ? null : options.branch ?? session.doc.branch ?? defaultBranch(session.doc.name);
}

/** HEAD's commit and branch, whether the migration branch exists, the plan's tags: side by side. */
async function readWhereToStart(session: RunSession, options: RunOptions): Promise<StartReads> {
  const { doc, git } = session;
  const target = targetBranch(session, options);
  const [position, targetExists, state] = await Promise.all([
    headPosition(git), target ? branchExists(git, target) : false, readPlanState(git, doc),
  ]);
  // HEAD on a ref outside refs/heads (rare): git's own short name for it.
  const startBranch = position.branch === null ? undefined : position.branch.startsWith('refs/') ? await currentBranch(git) : position.branch;
  return { startBranch, head: position.commit, targetExists, state };
}

/** Which phases and which branch (read ahead when that still holds), then the user's (or unattended) choice. */
async function askWhereToStart(session: RunSession, options: RunOptions, readAhead: Promise<StartReads> | undefined, titles: Titles): Promise<StartChoice> {
  const { doc } = session;
  const range = phaseRange(doc.phases.map((phase) => phase.id), options.from, options.to);
  const target = targetBranch(session, options);
  const { startBranch, head, targetExists, state } = await (readAhead ?? readWhereToStart(session, options));
  // The state that matters is the migration branch's, so look there (switching is undoable).
  const choice = await options.decisions.start(overview(session, state, target, targetExists, startBranch, range, titles), target);
  return { range, startBranch, target, targetExists, state, choice, head: session.decisions.guided ? undefined : head };
}

interface Place {
  /** The branch the run works on (null: stay where HEAD is). */
  branch: string | null;
  /** The branch exists already (it is checked out, or was switched to). */
  exists: boolean;
  /** HEAD's branch now, before a new branch is made. */
  current: string | undefined;
  /** Put back what was switched or created, before the first phase ran. */
  undo: () => Promise<void>;
  /** Set once a new branch is made, so `undo` removes it. */
  created?: { branch: string; from: string };
  /** An existing branch was checked out: HEAD is not where it was read. */
  switched: boolean;
}

/** Switch to the chosen migration branch when it exists (it is made later, once nothing refuses). */
async function enterBranch(session: RunSession, start: StartChoice, choice: NonNullable<StartChoice['choice']>): Promise<Place> {
  const { git } = session;
  const branch = 'branch' in choice ? choice.branch : null;
  const exists = branch === null || branch === start.startBranch || (branch === start.target ? start.targetExists : await branchExists(git, branch));
  const switched = branch !== null && branch !== start.startBranch && exists;
  if (switched) await refuseDivergentPlan(git, session, branch, start.startBranch);
  if (switched) await switchToBranch(git, branch);
  const place: Place = {
    branch, exists, current: switched ? branch : start.startBranch, switched,
    undo: async () => {
      if (place.created) await removeNewBranch(git, place.created.branch, start.startBranch ?? place.created.from);
      else if (switched && start.startBranch) await checkoutBranch(git, start.startBranch);
    },
  };
  return place;
}

/**
 * Everything before the first phase: where to resume, preflight, signing, the new branch, JUnit
 * baselines and the base tag. Returns the phases to run, or why there is nothing to do.
 */
async function prepareRuns(session: RunSession, options: RunOptions, report: RunReport, place: Place, start: StartChoice, signing: Promise<string[]>, modules: PhaseModules): Promise<{ runs: PhaseRun[] } | { nothingToDo: string }> {
  const { PhaseRun, runPreflight } = modules;
  const { doc, git } = session;
  const { state } = start;
  const plan = await phasesToRun(session, state, start.range, place.switched ? undefined : start.head);
  if (plan.nothingToDo) {
    report.result = 'passed';
    report.message = plan.nothingToDo;
    report.branch = place.branch ?? start.startBranch ?? null;
    return { nothingToDo: plan.nothingToDo };
  }
  if (doc.preflight?.length) report.preflight = { passed: false, durationMs: 0, checks: [] };
  const failures = report.preflight ? await runPreflight(doc, { root: session.root, git, planPath: session.planPath, signal: options.signal, env: session.env, neverStage: session.neverStage }, report.preflight, options.interactive) : [];
  if (failures.length > 0) throw new RefusedError(`preflight failed; nothing was changed:\n${failures.map((f) => `  ✖ ${f}`).join('\n')}`);
  // HEAD as phasesToRun checked it, unless preflight commands ran since (or it asked the user).
  const [, head] = await Promise.all([refuseUnusableSigning(git, signing), report.preflight || !plan.head ? headCommit(git) : plan.head]);
  if (place.branch !== null && !place.exists) {
    place.created = { branch: place.branch, from: head };
    await createBranchAtHead(git, place.branch);
  }
  // Without a branch of its own the run stays on the branch it started on.
  session.branch = place.branch ?? place.current ?? null;
  report.branch = session.branch;
  // A migration branch made now, with no phase tagged, is a new migration: a base left by an
  // earlier one rolled back all the way (its branch since deleted) would take along, on
  // `rollback base`, whatever the starting branch gained meanwhile.
  const newStart = !state.base || (place.created !== undefined && state.base.commit !== head && state.phases.every((phase) => !phase.tag));
  const firstStart = newStart ? await tagBase(session, options, start.startBranch, head, modules, { replace: state.base !== undefined }) : head;
  report.baseTag = baseTag(doc.name);
  const runs = doc.phases.slice(plan.start, plan.end + 1)
    .map((phase, offset, inRun) => new PhaseRun(session, phase, state.phases[plan.start + offset].hash, inRun.length - offset - 1));
  // Nothing has run since HEAD was read: the first phase starts there.
  runs[0]?.startsAt(firstStart);
  return { runs };
}

/** The base tag, with the JUnit failures of the starting tree when checks compare against them; the commit it tags (HEAD). */
async function tagBase(session: RunSession, options: RunOptions, startBranch: string | undefined, head: string, { captureJUnitBaselines }: PhaseModules, { replace = false } = {}): Promise<string> {
  const { doc, git } = session;
  const junit = await captureJUnitBaselines({ ...session, plan: doc.name, notice: options.notice }, doc.phases);
  // Capturing runs commands (and puts back what they leave): HEAD is asked again after them.
  const commit = junit ? await headCommit(git) : head;
  await createTag(git, baseTag(doc.name), commit,
    baseTagMessage(doc.name, session.branch, { source: planSource(session), baselines: junit && { junit }, startBranch }), { force: replace });
  return commit;
}

/** Each phase as a task of one list; the outcome is the first failed (or kept) phase's, else passed. */
async function runPhases(session: RunSession, report: RunReport, runs: PhaseRun[], state: PlanState, modules: PhaseModules, options: RunOptions): Promise<RunOutcome> {
  const { createTaskList, phaseTask } = modules;
  try {
    await createTaskList(runs.map((run) => phaseTask(run, session)), options.interactive).run();
  } catch (error) {
    return finish(report, failureExit(error, options.signal), session, runs, modules, error, state);
  }
  const kept = runs.find((run) => run.kept);
  report.result = kept ? 'failed' : session.stopped ? 'stopped' : 'passed';
  if (kept) report.message = `phase '${kept.phase.id}' failed its checks; its changes are kept at HEAD without a tag`;
  return finish(report, kept ? ExitCode.phaseFailed : ExitCode.ok, session, runs, modules, undefined, state);
}

/** A run that could not start (refused, a failed preflight, Ctrl-C) still has a report to write. */
async function refusedOrFailed(report: RunReport, error: unknown, options: RunOptions): Promise<unknown> {
  if (error instanceof PhasegateError) {
    report.message = error.message;
    report.result = error.exitCode === ExitCode.refused ? 'refused' : report.result;
    report.exitCode = error.exitCode;
  } else {
    report.exitCode = ExitCode.unrecoverable;
  }
  if (options.signal.aborted) Object.assign(report, { result: 'interrupted', exitCode: ExitCode.interrupted });
  report.endedAt = new Date().toISOString();
  report.durationMs = Date.parse(report.endedAt) - Date.parse(report.startedAt);
  await options.onError?.(report);
  if (options.signal.aborted && !(error instanceof UnrecoverableError)) return new InterruptedError('interrupted before any phase started; nothing was changed');
  return error;
}

function failureExit(error: unknown, signal: AbortSignal): number {
  if (error instanceof UnrecoverableError) return ExitCode.unrecoverable;
  if (signal.aborted) return ExitCode.interrupted;
  return ExitCode.phaseFailed;
}

async function finish(report: RunReport, exitCode: number, session: RunSession, runs: PhaseRun[], { runHooks }: PhaseModules, error?: unknown, state?: PlanState): Promise<RunOutcome> {
  // Line counts may still be coming in the background (never failing: a failed count is a warning).
  await Promise.all(runs.map((run) => run.linesCounted()));
  report.exitCode = exitCode;
  if (error !== undefined) {
    report.result = exitCode === ExitCode.interrupted ? 'interrupted' : 'failed';
    report.message = exitCode === ExitCode.interrupted ? 'interrupted; the last checkpoint was restored' : errorMessage(error);
  }
  report.phases = phaseReports(session, runs, state);
  report.changed = report.phases.some((phase) => phase.status === 'passed' && !phase.earlierRun);
  const status = report.result === 'passed' ? 'passed' : report.result;
  if (runs.length > 0) {
    const outcomes = await runHooks(session.doc, 'after-run', { root: session.root, env: session.env }, { plan: session.doc.name, status });
    for (const outcome of outcomes.filter((o) => !o.ok)) session.warnings.push(`after-run hook \`${outcome.command}\` ${outcome.detail}`);
  }
  report.endedAt = new Date().toISOString();
  report.durationMs = Date.parse(report.endedAt) - Date.parse(report.startedAt);
  if (session.warnings.length) report.warnings = session.warnings;
  return { report, exitCode };
}

/** Every phase of the plan in order: what ran now, what was tagged before, what was not reached. */
function phaseReports(session: RunSession, runs: PhaseRun[], state: PlanState | undefined): PhaseReport[] {
  const ran = new Map(runs.map((run) => [run.phase.id, run.report]));
  return session.doc.phases.map((phase, index) => {
    const report = ran.get(phase.id);
    if (report && report.startedAt) return report;
    const earlier = state?.phases[index];
    if (earlier?.tag) {
      const record = earlier.record;
      return {
        id: phase.id, title: phase.title ?? phase.id, status: 'passed', earlierRun: true, tag: earlier.tag.name,
        commit: earlier.tag.commit, hash: earlier.hash, filesChanged: record?.filesChanged ?? 0, changedFiles: [],
        // Tags of earlier versions (and of guided runs) record the lines; others say nothing about them.
        ...(typeof record?.insertions === 'number' && typeof record.deletions === 'number' ? { insertions: record.insertions, deletions: record.deletions } : {}),
        steps: [], checks: [],
        score: record?.score ?? null, threshold: record?.threshold ?? null,
        durations: record?.durations ?? { transformMs: 0, checksMs: 0, totalMs: 0 },
      } satisfies PhaseReport;
    }
    return {
      id: phase.id, title: phase.title ?? phase.id, status: 'skipped', hash: earlier?.hash ?? '', filesChanged: 0, changedFiles: [],
      steps: [], checks: [], score: null, threshold: null, durations: { transformMs: 0, checksMs: 0, totalMs: 0 },
    } satisfies PhaseReport;
  });
}

type Titles = Pick<PhaseModules, 'checkTitle' | 'stepTitle'>;

function overview(session: RunSession, state: PlanState, target: string | null, exists: boolean, current: string | undefined, range: Range, { checkTitle, stepTitle }: Titles): PlanOverview {
  // Tags are read from wherever they are: they are repository-wide, not per branch.
  return {
    plan: session.doc.name, title: session.doc.title ?? session.doc.name, branch: target, branchExists: exists,
    currentBranch: current ?? null,
    phases: state.phases.map((phase, index) => ({
      id: phase.phase.id, title: phase.phase.title ?? phase.phase.id, steps: phase.phase.transform?.length ?? 0,
      checks: phase.phase.validate?.length ?? 0, tagged: Boolean(phase.tag), willRun: index >= range.from && index <= range.to && (range.explicitFrom || !phase.tag),
      stepNames: (phase.phase.transform ?? []).map(stepTitle), checkNames: (phase.phase.validate ?? []).map(checkTitle),
    })),
  };
}
