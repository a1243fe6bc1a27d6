import type { Command } from '../cli.js';
import { ExitCode, InterruptedError, PhasegateError } from '../errors.js';
import { unattended, type Decisions } from '../engine/decisions.js';
import { interruptOnSignals } from '../engine/interrupt.js';
import { decideMode, isInteractiveOutput } from '../engine/tasklist/mode.js';
import { runPlan, type RunOptions } from '../engine/run/run-plan.js';
import type { DryRunOutcome } from '../engine/scratch/dry-run.js';
import { refuseUnsafeOutputs } from '../report/output-paths.js';

type RunCommand = Extract<Command, { name: 'run' }>;

export async function runCommand(command: RunCommand, cwd = process.cwd(), status?: RunOptions['status']): Promise<number> {
  const notice = (text: string) => process.stderr.write(`${text}\n`);
  await refuseUnsafeOutputs({ report: command.report, summary: command.summary, junit: command.junit, 'pr-body': command.prBody }, command.plan, cwd);
  if (command.dryRun) {
    const { dryRun } = await import('../engine/scratch/dry-run.js');
    return printDryRun(await dryRun(command, cwd, notice), notice, await import('../report/console.js'), await import('../report/lists.js'));
  }
  // Report writers and the summary are needed at the end: they load while the run starts.
  const reporting = Promise.all([import('../report/write.js'), import('../report/console.js')]);
  reporting.catch(() => undefined);
  const mode = decideMode(command.yes);
  const interrupt = interruptOnSignals(notice);
  try {
    // Guided prompts give way to the same interruption as a running step (Ctrl-C, SIGTERM).
    const decisions: Decisions = mode === 'guided' ? (await import('../prompts/guided.js')).guidedDecisions(interrupt) : unattended;
    const started = new Date();
    let reportWritten = false;
    const { report, exitCode } = await runPlan({
      cwd, plan: command.plan, branch: command.branch, noBranch: command.noBranch, from: command.from, to: command.to,
      decisions, interactive: isInteractiveOutput(), signal: interrupt.signal, notice, status,
      // Changed lines are counted only for a report that shows them to a person.
      countLines: Boolean(command.summary || command.prBody),
      onError: async (report) => {
        reportWritten = true;
        // Best effort: the error itself is what the user must see.
        try {
          const written = (await reporting)[0].writeReports(report, command, cwd);
          if (written.length) notice(`wrote ${written.join(', ')}`);
        } catch { /* the error below is reported either way */ }
      },
    }).catch(async (error: unknown) => {
      // Refused before the run had a report (a plan that does not load, say): `--report` still
      // answers, so a fleet's merged table shows the repository (report/refused-report.ts).
      if (!reportWritten && error instanceof PhasegateError && command.report) {
        const { refusedReportIn } = await import('../report/refused-report.js');
        (await reporting)[0].writeReports(await refusedReportIn(cwd, command.plan, error, started), { report: command.report }, cwd);
      }
      throw error;
    });
    const [{ writeReports }, { formatSummary }] = await reporting;
    const written = writeReports(report, command, cwd);
    process.stdout.write(`\n${formatSummary(report)}\n`);
    for (const warning of report.warnings ?? []) notice(`warning: ${warning}`);
    if (written.length) notice(`wrote ${written.join(', ')}`);
    if (exitCode === ExitCode.interrupted) throw new InterruptedError('interrupted; the last checkpoint was restored');
    return exitCode;
  } finally {
    interrupt.dispose();
  }
}

const DIFF_LINES_SHOWN = 2000;

/** The dry run's diff (the first lines; the whole of it is in --report), its summary and notes. */
function printDryRun(outcome: DryRunOutcome, notice: (text: string) => void, { formatSummary }: typeof import('../report/console.js'), { andMore }: typeof import('../report/lists.js')): number {
  const { report, exitCode, diff, written } = outcome;
  const lines = diff.split('\n');
  if (diff.trim()) {
    process.stdout.write(`\n${lines.slice(0, DIFF_LINES_SHOWN).join('\n')}\n`);
    if (lines.length > DIFF_LINES_SHOWN) process.stdout.write(`${andMore(lines.length - DIFF_LINES_SHOWN, 'line')} of diff (see --report)\n`);
  } else {
    process.stdout.write('\n(no changes)\n');
  }
  if (outcome.failed) {
    const failedLines = outcome.failed.diff.split('\n');
    process.stdout.write(`\nphase '${outcome.failed.phase}' failed and was reverted; what it would have changed:\n`);
    process.stdout.write(`${outcome.failed.diff.trim() ? failedLines.slice(0, DIFF_LINES_SHOWN).join('\n') : '(no changes)'}\n`);
    if (failedLines.length > DIFF_LINES_SHOWN) process.stdout.write(`${andMore(failedLines.length - DIFF_LINES_SHOWN, 'line')} of diff\n`);
  }
  process.stdout.write(`\n${formatSummary(report)}\n`);
  if (written.length) notice(`wrote ${written.join(', ')}`);
  if (outcome.carryHint) notice(outcome.carryHint);
  if (exitCode === ExitCode.interrupted) throw new InterruptedError('interrupted; nothing was changed');
  return exitCode;
}
