import type { Command } from '../../cli.js';
import { GitClient } from '../../git/client.js';
import { baseTag, defaultBranch } from '../../git/names.js';
import { branchExists, currentBranch, resolveCommit, uncommittedChanges } from '../../git/state.js';
import type { RunReport } from '../../report/model.js';
import { writeReports } from '../../report/write.js';
import { unattended } from '../decisions.js';
import { interruptOnSignals } from '../interrupt.js';
import { runPlan } from '../run/run-plan.js';
import { withScratchClone } from './clone.js';
import { carryInto, carryRequest } from './carry.js';
import { carryHint, failedAsMissing, withCarryHint } from './hint.js';
import { placePlan } from './place-plan.js';
import { openPlan, openRepository } from '../session.js';
import { isInteractiveOutput } from '../tasklist/mode.js';

/** What a dry run found, for the command to print: its report, the diff from base, the files written. */
export interface DryRunOutcome {
  report: RunReport;
  exitCode: number;
  diff: string;
  /** The phase that failed, and what it would have changed before its revert. */
  failed?: { phase: string; diff: string };
  written: string[];
  /** Set when a check failed like a missing tool: what to carry into the clone. */
  carryHint?: string;
}

/**
 * `run --dry-run`: the real run, in a scratch clone of the branch the run would use. The user's
 * repository — branches, tags, refs, index, files — is exactly as before; the clone is removed.
 */
export async function dryRun(command: Extract<Command, { name: 'run' }>, cwd: string, notice: (text: string) => void): Promise<DryRunOutcome> {
  const repository = await openRepository(cwd, { readOnly: true });
  const planInfo = await openPlan(repository, command.plan, cwd);
  const { doc, planPath } = planInfo;
  const target = command.noBranch ? null : command.branch ?? doc.branch ?? defaultBranch(doc.name);
  const fromBranch = target !== null && (await branchExists(repository.git, target));
  const start = (await resolveCommit(repository.git, fromBranch ? `refs/heads/${target}` : 'HEAD'))!;
  const branch = target ?? (await currentBranch(repository.git)) ?? 'dry-run';
  if ((await uncommittedChanges(repository.git, planPath ? [planPath] : [])).some((line) => !line.startsWith('??'))) {
    notice('note: uncommitted changes are not part of the dry run (it starts from the last commit)');
  }
  const carry = await carryRequest(repository.git, repository.root, doc, command.carry, cwd);
  notice(`dry run: working in a scratch clone from ${fromBranch ? `branch ${target}` : 'HEAD'} (${start.slice(0, 10)}); your repository is not touched`);
  const interrupt = interruptOnSignals(notice);
  try {
    const { report, exitCode, diff, failed } = await withScratchClone(repository.root, start, branch, async (cloneRoot) => {
      const clone = new GitClient(cloneRoot);
      const planArgument = await placePlan(planInfo, cloneRoot, clone);
      await carryInto(repository.root, cloneRoot, clone, carry, notice);
      const outcome = await runPlan({
        cwd: cloneRoot, plan: planArgument, branch: branch, noBranch: false, from: command.from, to: command.to,
        decisions: unattended, interactive: isInteractiveOutput(), signal: interrupt.signal, notice,
        countLines: Boolean(command.summary || command.prBody),
      }).catch((error: unknown) => { throw withCarryHint(error, carry); });
      const base = baseTag(doc.name);
      const hasBase = await clone.succeeds(['rev-parse', '--verify', '--quiet', `refs/tags/${base}`]);
      const color = process.stdout.isTTY && !process.env.NO_COLOR ? '--color=always' : '--no-color';
      // core.quotePath=false: file names as people wrote them, not git's octal escapes.
      const patch = (from: string, to: string) => clone.run(['-c', 'core.quotePath=false', 'diff', color, '--stat', '--patch', from, to]);
      const diffText = hasBase ? await patch(`refs/tags/${base}`, 'HEAD') : '';
      // The failed phase was reverted in the clone; what it did is on its `failed` ref there.
      const failing = outcome.report.phases.find((phase) => phase.failedRef && phase.startCommit);
      const failedDiff = failing ? await patch(failing.startCommit!, failing.failedRef!).catch(() => '') : '';
      return { ...outcome, diff: diffText, ...(failing ? { failed: { phase: failing.id, diff: failedDiff } } : {}) };
    }, 'dry-run');
    report.dryRun = true;
    // Refs, tags and commits made in the clone went with it: the report must not name any of them
    // as if they were in the user's repository (a phase's status is what its checks said there).
    for (const phase of report.phases) {
      delete phase.failedRef;
      delete phase.tag;
      delete phase.commit;
      if (phase.rollback) delete phase.rollback.failedRef;
    }
    report.changed = false;
    report.repository = repository.root;
    report.diff = diff;
    const written = writeReports(report, command, cwd);
    return { report, exitCode, diff, failed, written, ...(failedAsMissing(report) ? { carryHint: carryHint(carry) } : {}) };
  } finally {
    interrupt.dispose();
  }
}
