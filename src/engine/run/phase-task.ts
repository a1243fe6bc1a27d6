import type { ListrTask } from 'listr2';
import { checkTitle } from '../../checks/index.js';
import { filesAndLines } from '../../report/lists.js';
import { stepTitle } from '../../transforms/index.js';
import type { PhaseRun } from './phase-run.js';
import type { RunSession } from './run-session.js';

/**
 * A phase as a task list: transform steps → checkpoint commit → checks → gate → tag. The phase's
 * `rollback` is the automatic revert: listr2 runs it when any of the phase's tasks fails.
 */
export function phaseTask(run: PhaseRun, session: RunSession): ListrTask {
  const steps = run.phase.transform ?? [];
  return {
    title: `${run.phase.id}: ${run.report.title}`,
    skip: () => (session.stopped ? `${run.phase.id}: skipped (stopped)` : false),
    task: (_, phaseTask) => phaseTask.newListr([
      { task: () => run.begin() },
      ...steps.map((step, index): ListrTask => ({ title: stepTitle(step), task: (__, sub) => run.applyStep(index, sub) })),
      { title: 'commit checkpoint', task: (__, sub) => commitCheckpoint(run, sub, (run.phase.validate ?? []).length > 0) },
      // A phase without a transform has no change of its own to review.
      { title: 'review the change', enabled: session.decisions.guided && steps.length > 0, task: (__, sub) => run.afterTransform(sub) },
      checkRound(run),
      {
        title: 'tag',
        task: async (__, sub) => {
          if (run.kept) {
            // Failed checks, kept at the user's request: no tag, and no ✔ on the phase's line.
            sub.skip('no tag: the checks failed; the changes are kept as asked');
            phaseTask.title = `${run.phase.id}: kept without a tag — its checks failed`;
            phaseTask.skip(phaseTask.title);
            return;
          }
          await run.tag(sub);
          sub.title = `tag ${run.report.tag}`;
        },
      },
    ], { exitOnError: true }),
    rollback: async (_, task) => {
      task.title = `${run.phase.id}: rolling back…`;
      await run.revert();
      task.title = `${run.phase.id}: ${run.report.status === 'rolled-back' ? 'rolled back' : 'failed and rolled back'} — ${run.report.reason}`;
    },
  };
}

/**
 * The checkpoint's title names the files it changed. With checks to run, the list is not waited
 * for (git works it out while the checks run): the title gets it when it comes. Line counts, when
 * counted at all, come later still and are added then; they are never waited for here.
 */
async function commitCheckpoint(run: PhaseRun, task: { title: string }, checksFollow: boolean): Promise<void> {
  await run.commit();
  const title = () => { task.title = `commit checkpoint — ${filesAndLines(run.report)}`; };
  const titled = run.filesListed().then(title);
  void Promise.all([titled, run.linesCounted()]).then(title, () => undefined);
  if (checksFollow) titled.catch(() => undefined);
  else await titled;
}

/** All checks run even when one fails (a score needs them all); then the gate decides. */
function checkRound(run: PhaseRun): ListrTask {
  const checks = (run.phase.validate ?? []).map((check, index) => ({ check, index })).filter(({ check }) => !('score' in check));
  return {
    title: checks.length === 0 ? 'no checks' : `checks (${checks.length})`,
    task: (_, task) => {
      run.beginChecks();
      return task.newListr([
        ...checks.map(({ check, index }): ListrTask => ({
          title: checkTitle(check),
          exitOnError: false,
          task: (__, sub) => run.runCheck(index, sub),
        })),
        {
          title: 'gate',
          task: async (__, sub) => {
            await run.discardCheckLeftovers();
            const verdict = await run.gate(sub);
            if (verdict === 'retry') return sub.newListr([checkRound(run)], { exitOnError: true });
            return undefined;
          },
        },
      ], { exitOnError: true });
    },
  };
}
