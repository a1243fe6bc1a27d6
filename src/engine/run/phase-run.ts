import path from 'node:path';
import { checkKind, checkTitle } from '../../checks/index.js';
import { MatchBatch } from '../../checks/matches.js';
import { ReusedScans } from '../../checks/reused-scans.js';
import type { CheckContext, CheckOutcome, Match, MatchSource } from '../../checks/types.js';
import { errorMessage, PhaseFailedError, StepError } from '../../errors.js';
import { amendWithWorkingTree, commitAllWithFiles, createTag, workingTreeSnapshot } from '../../git/checkpoint.js';
import { commitMessage, discardedRef, phaseTag } from '../../git/names.js';
import { createTagAt } from '../../git/tag-object.js';
import { discardWorkingTree } from '../../git/restore.js';
import { changedPaths, headCommit, lineCounts, uncommittedChanges } from '../../git/state.js';
import { StreamedStaging } from '../../git/streamed-staging.js';
import { commitUnchanged, stageAndCompare, type StagedState } from '../../git/unchanged-checkpoint.js';
import type { Phase, ScoreEntry } from '../../plan/schema.js';
import { matchLines } from '../../report/lists.js';
import type { CheckReport, PhaseReport } from '../../report/model.js';
import { PhaseFiles } from '../../scope/files.js';
import type { MatchScan } from '../../scope/match.js';
import { stepTitle, transformKind } from '../../transforms/index.js';
import type { StepContext } from '../../transforms/types.js';
import type { Task } from '../decisions.js';
import { runHooks } from '../hooks.js';
import { failpoint } from '../failpoint.js';
import { headMoved } from './head-guard.js';
import { progressReporter } from '../tasklist/progress.js';
import { restorePhaseStart } from '../recovery/restore-checkpoint.js';
import { runRollbackSteps } from '../rollback/steps.js';
import type { RunSession } from './run-session.js';
import { describeGate, evaluateGate } from './gate.js';
import { planSource, tagMessage } from '../tag-record.js';
import type { JUnitBaseline } from '../baselines/baselines.js';
import { runJudged } from '../baselines/judge.js';
import { junitBaselinesFor, phaseTagBaselines } from '../baselines/phase-baselines.js';
import { recordedResults, replayFingerprint, writeRecorded, type RecordedPhase, type RecordedResults } from './recorded-results.js';
import { firstFew } from '../../words.js';
import { CommandGuard } from './command-guard.js';

/**
 * One phase, start to finish: before-phase hooks, transform steps, the checkpoint commit, checks,
 * the gate, and then a tag — or, when anything fails, the revert to where the phase started.
 * The task list (phase-task.ts) calls these in order; this file owns what they do.
 */
export class PhaseRun {
  readonly report: PhaseReport;
  private files!: PhaseFiles;
  private startCommit!: string;
  private knownStart: string | undefined;
  private phaseCommit: string | undefined;
  /** The checkpoint's changed files, which git lists beside the commit (see commit()). */
  private listing: Promise<void> | undefined;
  /** Its changed lines, when a person will read them (session.countLines): counted in the background, never failing. */
  private lineCounting: Promise<void> | undefined;
  private transformStarted = 0;
  private checksStarted = 0;
  /** forbid/require/count figures on the tree the phase started from. */
  private readonly beforeCounts = new Map<number, number>();
  private readonly beforeFailures = new Map<number, string>();
  /** …and their scans (lines, to tell which matches the phase brought, see markAdded; files not read as text). */
  private readonly beforeScans = new Map<number, MatchScan>();
  /** The files the "before" scans read. */
  private beforeFiles: PhaseFiles | undefined;
  private checkBatch: MatchSource | undefined;
  private checkRounds = 0;
  /** First round of a phase without steps: the "before" scans serve as the checks' own (see beginChecks). */
  private reused: ReusedScans | undefined;
  /** A phase without steps: what staging showed while the "before" scans ran (see begin and commit). */
  private staged: StagedState | undefined;
  /** JUnit failures at base, for `run` checks with `junit:` (see baselines/). */
  private junitBaselines: Record<string, JUnitBaseline> = {};
  /** Guided "keep the changes and stop": no tag, no revert. */
  kept = false;
  /** The phase's tag is written: whatever stops the run now (Ctrl-C at the next prompt) leaves it passed. */
  private tagWritten = false;
  /** What a check's command did to HEAD (reset, commit, checkout): the phase fails whatever the gate says. */
  private movedHead: string | undefined;
  /** The commit will be exactly what the steps made: no before-phase hook ran, no fix by hand folded in (the tag vouches, see recorded-results.ts). */
  private stepsOnly = true;
  /** A sync's replay: the tagged phase's results it takes for files unchanged since (recorded-results.ts). */
  private recorded: RecordedResults | undefined;
  /** …and the files its steps then work on: those that differ from the tagged phase's start. */
  private stepFiles: PhaseFiles | undefined;
  /** The files the steps write, staged as they are written (git/streamed-staging.ts; see streams()). */
  private staging: StreamedStaging | undefined;
  /** The plan file and the user's own files as they were, when the phase runs commands (command-guard.ts). */
  private guard: CommandGuard | undefined;

  /**
   * `remainingInRun`: phases this run will still attempt after this one (bounded by --to).
   * `tagged`: in a sync's replay, the phase as it was tagged.
   */
  constructor(private readonly session: RunSession, readonly phase: Phase, hash: string, private readonly remainingInRun = 0, private readonly tagged?: RecordedPhase) {
    this.report = {
      id: phase.id, title: phase.title ?? phase.id, status: 'skipped', hash,
      filesChanged: 0, changedFiles: [], steps: [], checks: [],
      score: null, threshold: scoreEntry(phase)?.score ?? null,
      durations: { transformMs: 0, checksMs: 0, totalMs: 0 },
    };
  }

  private get git() { return this.session.git; }
  /** A phase of checks only: nothing but a hook changes its files (see begin and beginChecks). */
  private get checksOnly() { return (this.phase.transform ?? []).length === 0; }
  private get planName() { return this.session.doc.name; }

  /**
   * Whether the steps' files are staged as they are written, not by `git add -A` afterwards: only
   * when nothing but the steps can change the tree before the checkpoint and the steps name every
   * file they change — all `replace` or `codemod`, no before-phase hook, no person reviewing (who
   * may edit files), no recorded results of a sync written first.
   */
  private get streams(): boolean {
    const steps = this.phase.transform ?? [];
    return steps.length > 0 && steps.every((step) => 'replace' in step || 'codemod' in step) && this.stepsOnly && !this.session.decisions.guided && !this.recorded;
  }

  /** HEAD's commit as the run just read it, nothing having run since: begin() need not ask git again. */
  startsAt(commit: string): void {
    this.knownStart = commit;
  }

  async begin(): Promise<void> {
    this.report.startedAt = new Date().toISOString();
    this.startCommit = this.knownStart ?? await headCommit(this.git);
    this.report.startCommit = this.startCommit;
    this.report.status = 'failed';
    this.session.journal.write({
      operation: 'run', plan: this.planName, branch: this.session.branch, phase: this.phase.id,
      phaseTitle: this.report.title, stage: 'before-phase', startCommit: this.startCommit, protected: this.session.neverStage,
    });
    this.guard = await CommandGuard.before(this.session, this.phase);
    const hooks = await this.hooks('before-phase', 'running');
    if (hooks.length > 0) this.stepsOnly = false;
    await this.guard?.keepPlanOut();
    const failed = hooks.find((hook) => !hook.ok);
    if (failed) {
      this.report.reason = `before-phase hook \`${failed.command}\` failed: ${failed.detail}`;
      throw new StepError(this.report.reason);
    }
    this.junitBaselines = await junitBaselinesFor(this.session, this.phase, (text) => this.session.warnings.push(text));
    this.files = await PhaseFiles.tracked(this.git, [this.session.planPath, ...this.session.neverStage]);
    this.beforeFiles = this.files;
    // "Before" figures for forbid/require/count, so reports show what the transform changed; no
    // command runs in between, so all of them are one scan.
    const validate = this.phase.validate ?? [];
    const context = { ...this.checkContext(() => {}), batch: new MatchBatch(validate.filter((check) => !('run' in check))) };
    // Without steps nothing will change the files: they are staged for the checkpoint while they
    // are scanned (two cores; git reads what the scan reads). Only the index changes, and an
    // interrupted phase resets it; the commit waits for commit() and its journal stage.
    const staging = this.checksOnly ? stageAndCompare(this.git, this.session.neverStage, this.startCommit) : undefined;
    staging?.catch(() => undefined);
    // Reads two diffs only; a question it cannot answer means transforming every file, as always.
    const recorded = this.stepsOnly ? recordedResults(this.git, this.phase, this.tagged, this.startCommit).catch(() => undefined) : undefined;
    try {
      await this.countBefore(validate, context);
    } finally {
      // Settled before anything else may use the index (a revert after Ctrl-C, the commit).
      this.staged = staging && (await staging.catch(() => undefined));
      this.recorded = await recorded;
      this.stepFiles = this.recorded && this.files.narrowedTo(this.recorded.transform);
    }
    this.transformStarted = performance.now();
  }

  private async countBefore(validate: NonNullable<Phase['validate']>, context: CheckContext): Promise<void> {
    for (const [index, check] of validate.entries()) {
      const found = checkKind(check);
      if (!found?.impl.scan) continue;
      try {
        const scan = await found.impl.scan(check, context);
        this.beforeCounts.set(index, scan.matches.length);
        this.beforeScans.set(index, scan);
      } catch (error) {
        // A check that cannot count (its regex timed out) fails as itself, not as the phase's start.
        this.session.signal.throwIfAborted();
        this.beforeFailures.set(index, errorMessage(error));
      }
    }
  }

  async applyStep(index: number, task: Task): Promise<void> {
    this.session.signal.throwIfAborted();
    const step = this.phase.transform![index];
    const { kind, impl } = transformKind(step);
    const title = stepTitle(step);
    this.session.journal.update({ stage: 'transform', step: index, stepTitle: title });
    const started = performance.now();
    if (index === 0 && this.streams) this.staging = new StreamedStaging(this.git);
    const staging = this.staging;
    const context: StepContext = {
      root: this.session.root, git: this.git, files: this.stepFiles ?? this.files, defaultFiles: this.session.doc.files,
      neverStage: this.session.neverStage, signal: this.session.signal, env: this.session.env,
      progress: progressReporter(task, this.session.interactive), outputLog: this.logFile(`step-${index + 1}`),
      ...(staging ? { written: (files: readonly string[]) => staging.add(files) } : {}),
    };
    const entry = { index, kind, name: title, durationMs: 0, filesChanged: 0, changedFiles: [] as string[], changedNothing: false, notes: [] as string[], tree: undefined as string | undefined };
    this.report.steps.push(entry);
    try {
      // Files unchanged since the tagged phase take its result before the first step; the steps see the others only.
      const taken = index === 0 && this.recorded ? await writeRecorded(this.git, this.session.root, this.recorded.outputs, this.session.signal) : [];
      const result = await impl.apply(step as never, context);
      const moved = kind === 'run' ? await headMoved(this.git, { branch: this.session.branch, commit: this.startCommit }) : undefined;
      if (moved) throw new StepError(`the command ${moved}; a step must leave HEAD and the branch alone`);
      if (result.changed.length > 0) failpoint('during-transform');
      const changed = [...new Set([...taken, ...result.changed])];
      const others = this.stepFiles?.all().length ?? 0;
      const recordedNote = this.stepFiles && index === 0
        ? [`${taken.length} file${taken.length === 1 ? '' : 's'} unchanged since the phase was tagged: its recorded result; ${others} other file${others === 1 ? '' : 's'} in scope through the steps`]
        : [];
      Object.assign(entry, {
        filesChanged: changed.length, changedFiles: changed.slice(0, 500), notes: [...recordedNote, ...result.notes],
        changedNothing: changed.length === 0 && kind !== 'run', outputTail: result.outputTail, outputLog: result.outputLog,
      });
      if (entry.changedNothing) entry.notes.push('changed nothing');
      // Only a person reviews per step; an unattended run does not pay for the snapshots.
      if (this.session.decisions.guided) entry.tree = await workingTreeSnapshot(this.git, this.session.neverStage);
      const counted = changed.length === 0 ? 'changed nothing' : `${changed.length} file${changed.length === 1 ? '' : 's'} changed`;
      // Notes (files left alone, a missing source ignored) belong on screen, not only in the report.
      task.title = [`${title} — ${counted}`, ...recordedNote, ...result.notes].join(' · ');
    } catch (error) {
      (entry as { error?: string }).error = errorMessage(error);
      throw error;
    } finally {
      entry.durationMs = Math.round(performance.now() - started);
    }
  }

  async commit(): Promise<void> {
    this.session.signal.throwIfAborted();
    this.session.journal.update({ stage: 'commit' });
    failpoint('before-commit');
    await this.guard?.keepPlanOut();
    // Until the list is in, only a check's command could touch the index (match checks only read files).
    const indexStays = !(this.phase.validate ?? []).some((check) => 'run' in check);
    const message = commitMessage(this.planName, this.report.title, this.phase.id);
    // A phase without steps changed nothing unless a hook did: its checkpoint is HEAD's tree again.
    const unchanged = this.staged?.unchanged ? await commitUnchanged(this.git, this.staged, message) : undefined;
    this.staged = undefined;
    const streamed = await this.stagingDone();
    const { commit, files } = unchanged
      ? { commit: unchanged, files: Promise.resolve<string[]>([]) }
      // Streamed: nothing but the steps ran (no command, no hook), so HEAD is still where the phase began.
      : await commitAllWithFiles(this.git, message, this.session.neverStage, this.startCommit, { indexStays, staged: streamed, parent: streamed ? this.startCommit : undefined });
    this.phaseCommit = commit;
    this.report.commit = commit;
    this.session.journal.update({ stage: 'checks', phaseCommit: this.phaseCommit });
    // The list goes on while the checks run; the tag, a revert's report and the review wait for it (filesListed()).
    this.listing = files.then((list) => this.recordFiles(commit, list));
    this.listing.catch(() => undefined);
    this.countLines(commit);
    this.report.durations.transformMs = Math.round(performance.now() - this.transformStarted);
  }

  /** The steps' files staged as they were written (false: none were, or git could not: stage them all). */
  private async stagingDone(): Promise<boolean> {
    const staging = this.staging;
    this.staging = undefined;
    return staging ? staging.finish() : false;
  }

  /** Once the checkpoint's files are in the report (needed before the review, the tag and a revert's report). */
  async filesListed(): Promise<void> {
    await this.listing;
  }

  /** Once the checkpoint's line counts are in the report, when they are counted at all; never rejects. */
  async linesCounted(): Promise<void> {
    await this.lineCounting;
  }

  /** A list made for a commit the phase has since replaced (a fix amended by hand) is dropped. */
  private recordFiles(commit: string, files: string[]): void {
    if (commit !== this.phaseCommit) return;
    Object.assign(this.report, { commit, filesChanged: files.length, changedFiles: files.slice(0, 1000) });
  }

  /**
   * Count the checkpoint's changed lines in the background, when a person will read them: two
   * trees, so nothing that runs meanwhile (checks, the next phase) can change the figures. A count
   * that fails leaves the report without lines and says so; it never fails the phase.
   */
  private countLines(commit: string): void {
    if (!this.session.countLines) return;
    delete this.report.insertions;
    delete this.report.deletions;
    this.lineCounting = lineCounts(this.git, this.startCommit, commit).then((counts) => {
      if (commit === this.phaseCommit) Object.assign(this.report, counts);
    }, (error: unknown) => {
      if (commit === this.phaseCommit) this.session.warnings.push(`could not count the changed lines of phase '${this.phase.id}': ${errorMessage(error)}`);
    });
  }

  async afterTransform(task: Task): Promise<void> {
    // The review shows the lines (a guided run counts them).
    await Promise.all([this.filesListed(), this.linesCounted()]);
    const choice = await this.session.decisions.afterTransform(task, this.report, this.session.root);
    if (choice === 'abort') {
      this.report.reason = 'aborted by the user after the transform';
      throw new PhaseFailedError(`phase '${this.phase.id}' aborted; rolled back to where it started`);
    }
  }

  beginChecks(): void {
    this.checksStarted = performance.now();
    this.report.checks = [];
    this.checkRounds += 1;
    const validate = this.phase.validate ?? [];
    const batch = new MatchBatch(validate);
    this.checkBatch = batch;
    this.reused = undefined;
    // Without steps, the files hold what the "before" scans read: only a hook could have changed
    // them, and hooks ran before those scans; the commit writes only in .git. So each match check
    // up to the first `run` check (a command may change files) takes its "before" scan — if the
    // files listed for the checks are the ones scanned then (runCheck). Not in a later round: a
    // person may have edited files between rounds.
    if (this.checkRounds === 1 && this.checksOnly) {
      const firstCommand = validate.findIndex((check) => 'run' in check);
      const known = new Map<object, MatchScan>();
      for (const [index, scan] of this.beforeScans) if (firstCommand < 0 || index < firstCommand) known.set(validate[index], scan);
      this.reused = new ReusedScans(known, batch);
      this.checkBatch = this.reused;
    }
    this.files = undefined as unknown as PhaseFiles;
  }

  async runCheck(index: number, task: Task): Promise<void> {
    this.session.signal.throwIfAborted();
    if (!this.files) {
      this.files = await PhaseFiles.tracked(this.git, [this.session.planPath, ...this.session.neverStage]);
      if (!this.files.sameAs(this.beforeFiles)) this.reused?.forget();
    }
    const check = this.phase.validate![index];
    const found = checkKind(check)!;
    const started = performance.now();
    let outcome: CheckOutcome;
    try {
      const failedBefore = this.beforeFailures.get(index);
      const context = this.checkContext(progressReporter(task, this.session.interactive), this.logFile(`check-${index + 1}`));
      const running = failedBefore !== undefined
        ? Promise.reject(new StepError(`counting matches before the transform: ${failedBefore}`))
        : runJudged(check, () => found.impl.run(check, context), {
          root: this.session.root, junit: this.junitBaselines[`${this.phase.id}#${index}`], ratchetReference: this.beforeCounts.get(index),
        });
      failpoint('during-check');
      outcome = await running;
    } catch (error) {
      this.session.signal.throwIfAborted();
      // A check that cannot run is a failed check, never a missing one.
      outcome = { passed: false, summary: `could not run: ${errorMessage(error)}`, details: {} };
    }
    const moved = 'run' in check ? await headMoved(this.git, { branch: this.session.branch, commit: this.phaseCommit! }) : undefined;
    if (moved) {
      outcome = { ...outcome, passed: false, summary: `the command ${moved}; a check must leave HEAD and the branch alone` };
      this.movedHead ??= `check '${checkTitle(check)}' ${moved}`;
    }
    const before = this.beforeCounts.get(index);
    if (!outcome.passed && outcome.details.matches) outcome.details.matches = markAdded(outcome.details.matches, this.beforeScans.get(index)?.matches);
    const report: CheckReport = {
      index, name: checkTitle(check), kind: found.kind, passed: outcome.passed,
      required: (check as { required?: boolean }).required ?? false,
      weight: (check as { weight?: number }).weight ?? 1,
      durationMs: Math.round(performance.now() - started), summary: outcome.summary,
      details: { ...outcome.details, ...(before !== undefined ? { before, after: outcome.details.matchCount } : {}) },
    };
    this.report.checks.push(report);
    const change = before !== undefined ? ` (before: ${before})` : '';
    task.title = `${report.name} — ${outcome.summary}${change}`;
    if (!outcome.passed) throw new StepError(failureText(report));
  }

  /** Checks must not change the checkpoint: whatever they left in the working tree is discarded. */
  async discardCheckLeftovers(): Promise<void> {
    if (this.movedHead) {
      this.report.reason = `${this.movedHead}; the phase cannot be trusted`;
      throw new PhaseFailedError(`phase '${this.phase.id}' failed: ${this.report.reason}`);
    }
    // Only a command can leave something: match checks read files in this process.
    if (!(this.phase.validate ?? []).some((check) => 'run' in check)) return;
    const { changes, keptAt } = await discardWorkingTree(this.git, this.phaseCommit!, {
      keep: this.session.neverStage, ref: discardedRef(this.planName, new Date()),
      message: `${this.planName}: what the checks of phase ${this.phase.id} left in the working tree\n\nPhasegate-Phase: ${this.phase.id}\n`,
    });
    if (changes.length === 0) return;
    this.session.warnings.push(`checks of phase '${this.phase.id}' changed the working tree (${firstFew(changes, 5)}); discarded, kept at ${keptAt}`);
  }

  /** Decide pass or fail. Returns 'retry' when a guided user fixed something and wants the checks again. */
  async gate(task: Task): Promise<'passed' | 'retry' | 'kept'> {
    // An interrupted check never reaches the report (its subtask may fail without stopping the
    // list), so without this the gate would judge the remaining checks and could tag the phase.
    this.session.signal.throwIfAborted();
    this.report.checks.sort((a, b) => a.index - b.index);
    this.report.durations.checksMs = Math.round(performance.now() - this.checksStarted);
    const gate = evaluateGate(this.report.checks, this.report.threshold);
    this.report.score = gate.score;
    task.title = `gate: ${describeGate(gate)}`;
    if (gate.passed) return 'passed';
    await this.filesListed();
    const choice = await this.session.decisions.onChecksFailed(task, this.report, this.report.checks, gate, this.session.root);
    if (choice === 'retry') {
      await this.commitManualFix();
      return 'retry';
    }
    if (choice === 'keep') {
      // "Keep the changes" keeps everything, including what the user edited by hand meanwhile.
      await this.commitManualFix();
      this.kept = true;
      // Kept without a tag: what the commands did stays, as for a phase that passed.
      await this.guard?.release();
      this.session.stopped = true;
      this.report.reason = `checks failed (${describeGate(gate)}); changes kept without a tag at the user's request`;
      this.session.journal.clear();
      return 'kept';
    }
    this.report.reason = `checks failed: ${describeGate(gate)}`;
    // The error below says why; a title saying it too would print the verdict twice on one line.
    task.title = 'gate';
    throw new PhaseFailedError(`phase '${this.phase.id}' failed: ${describeGate(gate)}`);
  }

  /** A fix made by hand between prompts becomes part of the phase's commit. */
  private async commitManualFix(): Promise<void> {
    await this.filesListed();
    const dirty = await uncommittedChanges(this.git, this.session.neverStage);
    if (dirty.length === 0) return;
    this.stepsOnly = false;
    const commit = await amendWithWorkingTree(this.git, this.session.neverStage);
    this.phaseCommit = commit;
    this.session.journal.update({ phaseCommit: commit });
    // Figures still coming for the replaced commit are dropped when they land (see recordFiles).
    this.recordFiles(commit, await changedPaths(this.git, this.startCommit, commit));
    this.countLines(commit);
  }

  async tag(task: Task): Promise<void> {
    this.session.signal.throwIfAborted();
    // The tag's record carries the files; it waits for the lines only in a guided run, which has
    // counted them for its review anyway. Elsewhere they may still be coming (--summary) and the
    // record says nothing about lines.
    await this.filesListed();
    const guided = this.session.decisions.guided;
    if (guided) await this.linesCounted();
    this.session.journal.update({ stage: 'tag' });
    failpoint('before-tag');
    const tag = phaseTag(this.planName, this.phase.id);
    this.report.tag = tag;
    this.report.status = 'passed';
    this.finish();
    const recorded = guided ? this.report : { ...this.report, insertions: undefined, deletions: undefined };
    const message = tagMessage(this.planName, recorded, this.phaseCommit!, planSource(this.session), phaseTagBaselines(this.phase, this.junitBaselines, this.report.checks),
      this.stepsOnly ? replayFingerprint() : undefined);
    const aside = this.session.refsAside;
    const written = aside ? createTagAt(this.git, aside.tag(this.phase.id), tag, this.phaseCommit!, message) : createTag(this.git, tag, this.phaseCommit!, message, { force: true });
    await written.catch((error: unknown) => {
      // The checks passed: what failed is the tag, and the report must say so (not "before its checks").
      this.report.reason = `its checks passed, but the tag ${tag} could not be created: ${errorMessage(error)}`;
      throw error;
    });
    this.tagWritten = true;
    this.session.journal.clear();
    await this.guard?.release();
    // Named before the question below, so the list does not show "tag" still spinning under it.
    task.title = `tag ${tag}`;
    await this.hooks('after-phase', 'passed');
    const remaining = this.remainingInRun;
    if (remaining > 0 && (await this.session.decisions.afterPass(task, this.report, remaining)) === 'stop') this.session.stopped = true;
  }

  /**
   * Put the repository back where the phase started: keep what was done on the `failed` ref for
   * inspection, reset, then run the phase's rollback steps and the failure hooks.
   */
  async revert(): Promise<void> {
    if (this.kept || this.tagWritten || this.startCommit === undefined) return;
    const started = performance.now();
    // Stopped by the user (abort at a prompt, Ctrl-C) is not a failed validation: it was rolled back.
    this.report.status = this.report.reason?.startsWith('aborted') || this.session.signal.aborted ? 'rolled-back' : 'failed';
    this.report.reason ??= this.failureReason();
    // git stops holding the index before the revert resets it.
    await this.stagingDone();
    // The failed phase's report still says which files its commit changed; a list that failed says nothing.
    await this.filesListed().catch(() => undefined);
    this.session.journal.update({ stage: 'revert' });
    const restored = await restorePhaseStart(this.git, {
      plan: this.planName, phase: this.phase.id, title: this.report.title, startCommit: this.startCommit, phaseCommit: this.phaseCommit,
      branch: this.session.branch, neverStage: this.session.neverStage, reason: this.report.reason, failedRef: this.session.refsAside?.failed(this.phase.id),
    }, this.session.signal.aborted ? 'interrupted' : 'failed');
    this.report.failedRef = restored.failedRef;
    if (restored.discardedRef) this.session.warnings.push(`files phase '${this.phase.id}' created were removed by the revert; kept at ${restored.discardedRef}`);
    if (restored.keepError) this.session.warnings.push(`could not keep the failed work of phase '${this.phase.id}': ${restored.keepError}`);
    for (const sub of restored.submodules ?? []) this.session.warnings.push(`phase '${this.phase.id}' had changed submodule ${sub}: put back at its recorded commit; its edits are in that submodule's stash (git -C ${sub} stash list)`);
    await this.guard?.giveBackUserFiles();
    const steps = await this.runRollbackSteps();
    this.report.rollback = { durationMs: Math.round(performance.now() - started), failedRef: this.report.failedRef, steps };
    this.finish();
    await this.hooks('on-failure', 'failed', false);
    await this.hooks('after-rollback', 'rolled-back', false);
    this.session.journal.clear();
  }

  private failureReason(): string {
    if (this.session.signal.aborted) return 'interrupted';
    const step = this.report.steps.find((entry) => 'error' in entry) as { index: number; name: string; error?: string } | undefined;
    if (step) return `transform step ${step.index + 1} (${step.name}) failed: ${step.error}`;
    return 'failed before its checks';
  }

  private async runRollbackSteps() {
    // After a failed check, a Ctrl-C stops the running rollback step (as in `phasegate rollback`); after
    // a Ctrl-C the steps run to their end: the checkpoint is back, and a second one only waits.
    const signal = this.session.signal.aborted ? undefined : this.session.signal;
    const results = await runRollbackSteps(this.phase, { root: this.session.root, env: this.session.env, signal });
    for (const step of results.filter((entry) => !entry.ok)) {
      this.session.warnings.push(`rollback step \`${step.command}\` of phase '${this.phase.id}' ${step.detail}`);
    }
    return results;
  }

  private finish(): void {
    this.report.endedAt = new Date().toISOString();
    this.report.durations.totalMs = Date.parse(this.report.endedAt) - Date.parse(this.report.startedAt ?? this.report.endedAt);
  }

  private checkContext(progress: (text: string) => void, outputLog?: string): CheckContext {
    return {
      root: this.session.root, git: this.git, files: this.files, defaultFiles: this.session.doc.files,
      signal: this.session.signal, env: this.session.env, progress, batch: this.checkBatch, outputLog,
    };
  }

  /** A command's whole output, kept (and overwritten by the next run) under `.git/phasegate/logs`. */
  private logFile(name: string): string {
    return path.join(this.session.stateDir, 'logs', this.planName, this.phase.id, `${name}.log`);
  }

  private async hooks(event: 'before-phase' | 'after-phase' | 'on-failure' | 'after-rollback', status: string, withSignal = true) {
    const outcomes = await runHooks(this.session.doc, event, {
      root: this.session.root, env: this.session.env, signal: withSignal ? this.session.signal : undefined,
    }, { plan: this.planName, phase: this.phase.id, tag: phaseTag(this.planName, this.phase.id), status });
    for (const outcome of outcomes.filter((o) => !o.ok && event !== 'before-phase')) {
      this.session.warnings.push(`${event} hook \`${outcome.command}\` ${outcome.detail}`);
    }
    return outcomes;
  }
}

export function scoreEntry(phase: Phase): ScoreEntry | undefined {
  return (phase.validate ?? []).find((check): check is ScoreEntry => 'score' in check);
}

function failureText(check: CheckReport): string {
  const lines = [check.summary, ...matchLines(check.details, 10).map((line) => `  ${line}`)];
  for (const line of (check.details.outputTail ?? []).slice(-8)) lines.push(`  | ${line.slice(0, 160)}`);
  return lines.join('\n');
}

/**
 * A failed forbid or `count … max` lists the matches the phase brought first: the ones that were
 * there before are legitimate (or at least not this phase's doing), and listing them first hid the
 * culprits behind ten innocent lines. A line counts as brought when its text is not on the same
 * file's list from before more often than now (line numbers move; the text stays).
 */
function markAdded(matches: Match[], before: Match[] | undefined): Match[] {
  if (!before) return matches;
  const remaining = new Map<string, number>();
  const key = (match: Match) => `${match.file}\0${match.text.trim()}`;
  for (const match of before) remaining.set(key(match), (remaining.get(key(match)) ?? 0) + 1);
  const marked = matches.map((match) => {
    const left = remaining.get(key(match)) ?? 0;
    if (left > 0) remaining.set(key(match), left - 1);
    return left > 0 ? match : { ...match, added: true };
  });
  return [...marked.filter((match) => match.added), ...marked.filter((match) => !match.added)];
}
