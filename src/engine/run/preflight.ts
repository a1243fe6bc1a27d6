import type { ListrTask } from 'listr2';
import { checkKind, checkTitle } from '../../checks/index.js';
import type { CheckOutcome } from '../../checks/types.js';
import { errorMessage, RefusedError } from '../../errors.js';
import { formatDuration } from '../../plan/duration.js';
import type { PreflightReport } from '../../report/model.js';
import type { Check, PlanDocument } from '../../plan/schema.js';
import { PhaseFiles } from '../../scope/files.js';
import type { GitClient } from '../../git/client.js';
import { discardedRef } from '../../git/names.js';
import { discardWorkingTree, pointHeadAt } from '../../git/restore.js';
import { headMoved, headPosition, type HeadPosition } from './head-guard.js';

/**
 * `preflight:` checks run on the starting tree before anything changes; any failure refuses the run.
 * A preflight command must only look: whatever it changes would end up in phase 1's commit, so a
 * changed tree (or a moved HEAD) is put back as it was and the run refused, naming the files.
 * A preflight can take a minute (a test suite), so it is a task in the task list — each command
 * with its elapsed time — and its results go into the run's report, also when it refuses the run.
 */
export interface PreflightWhere {
  root: string; git: GitClient; planPath: string | undefined; signal: AbortSignal; env: Record<string, string>; neverStage: readonly string[];
}

export async function runPreflight(doc: PlanDocument, where: PreflightWhere, report: PreflightReport, interactive: boolean): Promise<string[]> {
  const checks: Check[] = doc.preflight ?? [];
  if (checks.length === 0) return [];
  const started = performance.now();
  // Only a command can change anything: match checks read files in this process.
  const start = checks.some((check) => 'run' in check) ? await headPosition(where.git) : undefined;
  const files = await PhaseFiles.tracked(where.git, [where.planPath]);
  const failures: string[] = [];
  const runOne = async (check: Check, task: { title: string }) => {
    const found = checkKind(check);
    if (!found) return;
    const checkStarted = performance.now();
    let outcome: CheckOutcome;
    try {
      outcome = await found.impl.run(check, {
        root: where.root, git: where.git, files, defaultFiles: doc.files, signal: where.signal, env: where.env, progress: () => {},
      });
    } catch (error) {
      if (where.signal.aborted) throw error;
      outcome = { passed: false, summary: errorMessage(error).split('\n')[0], details: {} };
    }
    where.signal.throwIfAborted();
    const durationMs = Math.round(performance.now() - checkStarted);
    const outputTail = outcome.details.outputTail ?? [];
    report.checks.push({
      name: checkTitle(check), kind: found.kind, ...(outcome.details.command ? { command: outcome.details.command } : {}),
      passed: outcome.passed, durationMs, summary: outcome.summary, outputTail: outputTail.slice(-20),
    });
    if (outcome.passed) return;
    const tail = outputTail.slice(-5).map((line) => `\n    | ${line}`).join('');
    const matches = (outcome.details.matches ?? []).slice(0, 5).map((m) => `\n    ${m.file}:${m.line}: ${m.text.trim()}`).join('');
    failures.push(`${checkTitle(check)}: ${outcome.summary}${matches}${tail}`);
    // The failed line names its time too (a passed one gets it from the renderer).
    task.title = `${checkTitle(check)} (${formatDuration(durationMs)})`;
    throw new Error([outcome.summary, ...outputTail.slice(-5).map((line) => `| ${line}`)].join('\n'));
  };
  // Loaded only when a plan has a preflight: listr2 is the heaviest module of a run's start.
  const { createTaskList } = await import('../tasklist/task-list.js');
  try {
    await createTaskList([{
      title: `preflight (${checks.length})`,
      task: (_, task) => task.newListr([
        // A failed check does not stop the others; Ctrl-C does.
        ...checks.map((check): ListrTask => ({ title: checkTitle(check), exitOnError: () => where.signal.aborted, task: (__, sub) => runOne(check, sub) })),
        // Every check runs (all failures are named at once); then the preflight fails as a whole.
        { task: () => { if (failures.length > 0) throw new Error(`${failures.length} of ${checks.length} failed`); } },
      ], { exitOnError: true }),
    }], interactive).run();
  } catch (error) {
    if (where.signal.aborted) throw error;
  }
  where.signal.throwIfAborted();
  report.durationMs = Math.round(performance.now() - started);
  report.passed = failures.length === 0;
  if (start) {
    try {
      await refuseChanges(doc.name, where.git, start, where.neverStage);
    } catch (error) {
      report.passed = false;
      throw error;
    }
  }
  return failures;
}

async function refuseChanges(plan: string, git: GitClient, start: HeadPosition, neverStage: readonly string[]): Promise<void> {
  const moved = await headMoved(git, start);
  if (moved) await pointHeadAt(git, start.branch, start.commit);
  const { changes, keptAt } = await discardWorkingTree(git, start.commit, {
    keep: neverStage, ref: discardedRef(plan, new Date()), message: `${plan}: what the preflight commands changed, put back before refusing the run\n`,
  });
  if (!moved && changes.length === 0) return;
  const what = [moved ? `  ${moved}` : '', ...changes.slice(0, 20).map((line) => `  ${line}`), changes.length > 20 ? '  …' : ''].filter(Boolean);
  throw new RefusedError(`preflight commands changed the repository; it was put back as it was${keptAt ? ` (the changes are kept at ${keptAt})` : ''} — ` +
    `make them leave the working tree and HEAD alone, then run again:\n${what.join('\n')}`);
}
