import { checkTitle } from '../../checks/index.js';
import { InterruptedError, PhasegateError, RefusedError, UnrecoverableError, errorMessage, ExitCode } from '../../errors.js';
import { createTag } from '../../git/checkpoint.js';
import { baseTag, defaultBranch } from '../../git/names.js';
import { checkoutBranch, createBranch, removeNewBranch } from '../../git/restore.js';
import { cleanUpAfterDeadPhasegate } from '../recovery/after-crash.js';
import { refuseHeldIndexLock } from '../../git/index-lock.js';
import { refuseUnusableSigning } from '../../git/signing.js';
import { branchExists, currentBranch, headCommit } from '../../git/state.js';
import { protectUntracked } from './working-tree.js';
import { refuseSparseCheckout } from '../../git/sparse.js';
import { warmRegexWorkerFor } from '../../regex/warm.js';
import { refuseDivergentPlan } from './branch-plan.js';
import type { RunReport, PhaseReport } from '../../report/model.js';
import { planHash } from '../../plan/hash.js';
import { stepTitle } from '../../transforms/index.js';
import { VERSION } from '../../version.js';
import type { Decisions, PlanOverview } from '../decisions.js';
import { runHooks } from '../hooks.js';
import { Journal } from '../../state/journal.js';
import { RepositoryLock } from '../../state/lock.js';
import { PhaseRun } from './phase-run.js';
import { phaseTask } from './phase-task.js';
import { readPlanState, type PlanState } from '../plan-state.js';
import { baseTagMessage } from '../tag-record.js';
import { captureJUnitBaselines } from '../baselines/capture.js';
import { phaseRange, phasesToRun, type Range } from './resume.js';
import { runPreflight } from './preflight.js';
import { recoverInterrupted } from '../recovery/recover.js';
import type { RunSession } from './run-session.js';
import { openPlan, openRepository } from '../session.js';
import { refuseEscapingRenames } from '../../scope/confine.js';
import { createTaskList } from '../tasklist/task-list.js';
import { planSource } from '../tag-record.js';

export interface RunOptions {
  cwd: string;
  plan: string;
  branch?: string;
  noBranch: boolean;
  from?: string;
  to?: string;
  decisions: Decisions;
  interactive: boolean;
  signal: AbortSignal;
  /** Printed notices (recovery, warnings) go here; the task list has the terminal otherwise. */
  notice: (text: string) => void;
  /** The report as it stands when the run ends in an error instead of an outcome (to write it anyway). */
  onError?: (report: RunReport) => void;
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
  const repository = await openRepository(options.cwd);
  const planInfo = await openPlan(repository, options.plan, options.cwd);
  await refuseEscapingRenames(planInfo.plan, repository.root);
  const { doc } = planInfo;
  warmRegexWorkerFor(doc);
  const lock = new RepositoryLock(repository.stateDir);
  const taken = lock.acquire(`run ${doc.name}`);
  if (taken.tookOverFrom) options.notice(`took over a lock left by pid ${taken.tookOverFrom.pid} (no longer running)`);
  const journal = new Journal(repository.stateDir);
  const started = new Date();
  const report: RunReport = {
    tool: { name: 'phasegate', version: VERSION },
    plan: doc.name, planTitle: doc.title ?? doc.name, planFile: planInfo.plan.displayPath,
    planHash: planHash(doc),
    repository: repository.root, branch: null, dryRun: false, startedAt: started.toISOString(), endedAt: '',
    durationMs: 0, result: 'error', exitCode: ExitCode.refused, changed: false, phases: [],
  };
  const session: RunSession = {
    ...repository, ...planInfo, journal, decisions: options.decisions, signal: options.signal, branch: null,
    env: { PHASEGATE_PLAN: doc.name }, interactive: options.interactive, warnings: [], stopped: false,
  };
  let runs: PhaseRun[] = [];
  let state: PlanState | undefined;
  try {
    await cleanUpAfterDeadPhasegate(repository, taken.tookOverFrom, journal.read() !== undefined, options.notice);
    await refuseHeldIndexLock(repository.git);
    const recovered = await recoverInterrupted({ git: repository.git, root: repository.root, journal, neverStage: planInfo.neverStage });
    if (recovered) options.notice(recovered);
    // Asked side by side: ~20 ms each at 20,000 files.
    await Promise.all([protectUntracked(session, options.notice), refuseSparseCheckout(repository.git)]);
    const range = phaseRange(doc.phases.map((phase) => phase.id), options.from, options.to);
    const target = options.noBranch ? null : options.branch ?? doc.branch ?? defaultBranch(doc.name);
    const startBranch = await currentBranch(repository.git);
    const targetExists = target ? await branchExists(repository.git, target) : false;

    // The state that matters is the migration branch's, so look there (switching is undoable).
    const choice = await options.decisions.start(await overview(session, target, targetExists, startBranch, range), target);
    if (!choice) {
      report.result = 'stopped';
      report.message = 'nothing changed: you chose not to start';
      return finish(report, ExitCode.ok, session, []);
    }
    const branch = 'branch' in choice ? choice.branch : null;
    const switched = branch !== null && branch !== startBranch && (await branchExists(repository.git, branch));
    if (switched) await refuseDivergentPlan(repository.git, planInfo, branch, startBranch);
    if (switched) await checkoutBranch(repository.git, branch);
    let created: { branch: string; from: string } | undefined;
    // Before the first phase, a failure puts back the branch that was checked out and removes one made here.
    const undoSwitch = async () => {
      if (created) await removeNewBranch(repository.git, created.branch, startBranch ?? created.from);
      else if (switched && startBranch) await checkoutBranch(repository.git, startBranch);
    };
    try {
      state = await readPlanState(repository.git, doc);
      const plan = await phasesToRun(session, state, range);
      if (plan.nothingToDo) {
        report.result = 'passed';
        report.message = plan.nothingToDo;
        report.branch = branch ?? startBranch ?? null;
        return finish(report, ExitCode.ok, session, [], undefined, state);
      }
      if (doc.preflight?.length) report.preflight = { passed: false, durationMs: 0, checks: [] };
      const failures = report.preflight ? await runPreflight(doc, { root: repository.root, git: repository.git, planPath: planInfo.planPath, signal: options.signal, env: session.env, neverStage: session.neverStage }, report.preflight, options.interactive) : [];
      if (failures.length > 0) throw new RefusedError(`preflight failed; nothing was changed:\n${failures.map((f) => `  ✖ ${f}`).join('\n')}`);
      await refuseUnusableSigning(repository.git);
      if (branch !== null && !(await branchExists(repository.git, branch))) {
        created = { branch, from: await headCommit(repository.git) };
        await createBranch(repository.git, branch, 'HEAD');
      }
      session.branch = branch ?? (await currentBranch(repository.git)) ?? null;
      report.branch = session.branch;
      if (!state.base) {
        const junit = await captureJUnitBaselines({ ...session, plan: doc.name, notice: options.notice }, doc.phases);
        await createTag(repository.git, baseTag(doc.name), await headCommit(repository.git),
          baseTagMessage(doc.name, session.branch, { source: planSource(planInfo), baselines: junit && { junit }, startBranch }));
      }
      report.baseTag = baseTag(doc.name);
      runs = doc.phases.slice(plan.start, plan.end + 1).map((phase, offset, inRun) => new PhaseRun(session, phase, state!.phases[plan.start + offset].hash, inRun.length - offset - 1));
    } catch (error) {
      await undoSwitch();
      throw error;
    }
    try {
      await createTaskList(runs.map((run) => phaseTask(run, session)), options.interactive).run();
    } catch (error) {
      return finish(report, failureExit(error, options.signal), session, runs, error, state);
    }
    const kept = runs.find((run) => run.kept);
    report.result = kept ? 'failed' : session.stopped ? 'stopped' : 'passed';
    if (kept) report.message = `phase '${kept.phase.id}' failed its checks; its changes are kept at HEAD without a tag`;
    return finish(report, kept ? ExitCode.phaseFailed : ExitCode.ok, session, runs, undefined, state);
  } catch (error) {
    if (error instanceof PhasegateError) {
      report.message = error.message;
      report.result = error.exitCode === ExitCode.refused ? 'refused' : report.result;
      report.exitCode = error.exitCode;
    } else {
      report.exitCode = ExitCode.unrecoverable;
    }
    if (options.signal.aborted) Object.assign(report, { result: 'interrupted', exitCode: ExitCode.interrupted });
    // A run that could not start (a failed preflight, say) still has a report to write.
    report.endedAt = new Date().toISOString();
    report.durationMs = Date.parse(report.endedAt) - Date.parse(report.startedAt);
    options.onError?.(report);
    if (options.signal.aborted && !(error instanceof UnrecoverableError)) throw new InterruptedError('interrupted before any phase started; nothing was changed');
    throw error;
  } finally {
    lock.release();
  }
}

function failureExit(error: unknown, signal: AbortSignal): number {
  if (error instanceof UnrecoverableError) return ExitCode.unrecoverable;
  if (signal.aborted) return ExitCode.interrupted;
  return ExitCode.phaseFailed;
}

async function finish(report: RunReport, exitCode: number, session: RunSession, runs: PhaseRun[], error?: unknown, state?: PlanState): Promise<RunOutcome> {
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
        insertions: record?.insertions ?? 0, deletions: record?.deletions ?? 0, steps: [], checks: [],
        score: record?.score ?? null, threshold: record?.threshold ?? null,
        durations: record?.durations ?? { transformMs: 0, checksMs: 0, totalMs: 0 },
      } satisfies PhaseReport;
    }
    return {
      id: phase.id, title: phase.title ?? phase.id, status: 'skipped', hash: earlier?.hash ?? '', filesChanged: 0, changedFiles: [],
      insertions: 0, deletions: 0, steps: [], checks: [], score: null, threshold: null, durations: { transformMs: 0, checksMs: 0, totalMs: 0 },
    } satisfies PhaseReport;
  });
}

async function overview(session: RunSession, target: string | null, exists: boolean, current: string | undefined, range: Range): Promise<PlanOverview> {
  // Tags are read from wherever they are: they are repository-wide, not per branch.
  const state = await readPlanState(session.git, session.doc);
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

