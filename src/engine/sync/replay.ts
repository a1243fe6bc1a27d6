import { errorMessage } from '../../errors.js';
import { cherryPick, describeCommit } from '../../git/cherry-pick.js';
import type { GitClient } from '../../git/client.js';
import { headCommit, resolveCommit } from '../../git/state.js';
import { phaseHash } from '../../plan/hash.js';
import type { PhaseReport } from '../../report/model.js';
import { PhaseRun } from '../run/phase-run.js';
import { phaseTask } from '../run/phase-task.js';
import type { RunSession } from '../run/run-session.js';
import { createTaskList } from '../tasklist/task-list.js';
import { comparePhase, type Comparison, type Outcome } from './classify.js';
import type { MigrationHistory, PhaseSegment } from './history.js';
import { phaseDefinition } from './phase-definition.js';

/**
 * The rebuild itself, in a scratch clone checked out at the new base: carry the commits a person
 * made before the first phase, then for each tagged phase re-apply it through the same code as
 * `run` (transform, commit, checks, gate, tag) and carry the commits made after it. Stops at the
 * first phase that fails or commit that does not apply; the caller decides what moves.
 */
export interface PhaseOutcome {
  id: string;
  /** `kept`: its checks failed and a person chose to keep it without a tag (guided); the sync went on. */
  outcome: Outcome | 'kept' | 'not reached';
  comparison?: Comparison;
  /** Why it failed, or which carried commit did not apply. */
  detail?: string;
  report?: PhaseReport;
}

export interface Replay {
  phases: PhaseOutcome[];
  /** The phase that failed or conflicted (or 'base' for a commit before the first phase), or one the user stopped at. */
  stoppedAt?: string;
  stoppedBy?: 'failed' | 'conflict' | 'declined';
  /** In the clone: the furthest commit the rebuild reached (the failed phase's commit when it failed). */
  attempt: string;
}

export interface ReplayOptions {
  /** Guided: go on after a phase that is `more` or `different`? */
  confirm?: (phase: PhaseOutcome) => Promise<boolean>;
  oldBase: string;
}

export async function replay(session: RunSession, history: MigrationHistory, options: ReplayOptions): Promise<Replay> {
  const { git } = session;
  const result: Replay = { phases: history.phases.map((segment) => ({ id: segment.state.phase.id, outcome: 'not reached' })), attempt: '' };
  // Unattended, nobody waits for a phase's comparison before the next phase: it reads two pairs of
  // commits only (no working tree, no index), so it runs beside the next phase and is awaited at the end.
  const comparing: Promise<void>[] = [];
  const stop = async (at: string, by: Replay['stoppedBy'], attempt?: string) => {
    await Promise.all(comparing);
    result.stoppedAt = at;
    result.stoppedBy = by;
    result.attempt = attempt ?? (await headCommit(git));
    return result;
  };

  const before = await carry(git, history.carriedBeforeFirst);
  if (before) {
    result.phases.unshift({ id: 'base', outcome: 'conflict', detail: before });
    return stop('base', 'conflict');
  }
  for (const [index, segment] of history.phases.entries()) {
    const entry = result.phases[index];
    const run = await replayPhase(session, segment);
    entry.report = run.report;
    if (run.kept) {
      // Kept like `run` keeps it (committed, no tag), but a sync goes on with the next phase.
      session.stopped = false;
      Object.assign(entry, { outcome: 'kept', detail: run.report.reason });
    } else if (run.report.status !== 'passed') {
      entry.outcome = 'failed';
      entry.detail = run.report.reason ?? 'failed';
      const failed = run.report.failedRef ? await resolveCommit(git, run.report.failedRef) : undefined;
      return stop(entry.id, 'failed', failed);
    } else {
      const compared = comparePhase(git, { start: segment.start, commit: segment.commit }, { start: run.report.startCommit!, commit: run.report.commit! }, options.oldBase, { diffs: Boolean(options.confirm) })
        .then((comparison) => {
          entry.comparison = comparison;
          // A carried commit that did not apply meanwhile says more about the phase than its comparison.
          if (entry.outcome === 'not reached') entry.outcome = comparison.outcome;
        });
      // Handled here so that a replay that throws first never leaves it rejected unawaited; awaited below all the same.
      compared.catch(() => undefined);
      if (options.confirm) await compared;
      else comparing.push(compared);
    }
    const conflict = await carry(git, segment.carried);
    if (conflict) {
      entry.outcome = 'conflict';
      entry.detail = conflict;
      return stop(entry.id, 'conflict');
    }
    if (options.confirm && entry.comparison && entry.outcome !== 'same' && !(await options.confirm(entry))) return stop(entry.id, 'declined');
  }
  await Promise.all(comparing);
  result.attempt = await headCommit(git);
  return result;
}

async function replayPhase(session: RunSession, segment: PhaseSegment): Promise<PhaseRun> {
  const phase = phaseDefinition(session.doc, segment.state.phase.id, segment.state.record)!;
  // A record vouches only for the commit it names (a tag moved by hand to another commit vouches for nothing).
  const record = segment.state.record;
  const replayable = record?.commit === segment.commit ? record.replayable : undefined;
  const run = new PhaseRun(session, phase, phaseHash(phase, session.doc.files), 0, { start: segment.start, commit: segment.commit, replayable });
  try {
    await createTaskList([phaseTask(run, session)], session.interactive).run();
  } catch (error) {
    // The task's rollback has put the clone back where the phase started; the report says why.
    run.report.reason ??= errorMessage(error);
  }
  return run;
}

/** Cherry-pick each commit; on the first that does not apply, say which. */
async function carry(git: GitClient, commits: readonly string[]): Promise<string | undefined> {
  for (const commit of commits) {
    if (!(await cherryPick(git, commit))) return `the commit ${await describeCommit(git, commit)} does not apply on the new base`;
  }
  return undefined;
}
