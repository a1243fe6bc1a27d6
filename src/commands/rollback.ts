import type { Command } from '../cli.js';
import { RefusedError } from '../errors.js';
import { Journal } from '../engine/journal.js';
import { RepositoryLock } from '../engine/lock.js';
import { decideMode } from '../engine/mode.js';
import { recoverInterrupted } from '../engine/recover.js';
import { performRollback, type RollbackResult } from '../engine/rollback.js';
import { findPlanFile, resolvePlanName, resolveTarget } from '../engine/rollback-target.js';
import { openPlan, openRepository, type PlanInRepository } from '../engine/session.js';
import { protectUntracked } from '../engine/working-tree.js';
import { defaultBranch } from '../git/names.js';
import { checkoutBranch } from '../git/restore.js';
import { cleanUpAfterDeadPhasegate } from '../engine/after-crash.js';
import { refuseHeldIndexLock } from '../git/index-lock.js';
import { branchExists, currentBranch, headCommit, isAncestor, workingTree } from '../git/state.js';
import { GitClient } from '../git/client.js';
import { readPlanTags } from '../git/tags.js';
import { formatDuration } from '../plan/duration.js';
import { rollbackSummary } from './rollback-summary.js';

/**
 * `phasegate rollback <target>`: put the branch back to a phase's tag (or `base`), undoing the
 * phases after it newest first. Refuses a dirty tree; commits made by hand after the last phase
 * tag are only discarded with --yes (they stay reachable on an `undone` ref).
 */
export async function rollbackCommand(command: Extract<Command, { name: 'rollback' }>, cwd = process.cwd()): Promise<number> {
  const notice = (text: string) => process.stderr.write(`${text}\n`);
  // `git status` is the slow question at 20,000 files: asked first (from cwd: porcelain paths are
  // relative to the repository root), while the repository, the plan and the lock are dealt with;
  // its answer still decides at the same point as before (a recovery asks again).
  const status = workingTree(new GitClient(cwd));
  status.catch(() => undefined);
  const repository = await openRepository(cwd);
  const planInfo = await findPlan(repository, command, cwd, notice);
  const planName = await resolvePlanName(repository, command.target, command.plan, planInfo?.doc);
  const lock = new RepositoryLock(repository.stateDir);
  const taken = lock.acquire(`rollback ${command.target}`);
  try {
    const journal = new Journal(repository.stateDir);
    const session = { ...repository, doc: planInfo?.doc, plan: planInfo?.plan, planPath: planInfo?.planPath, neverStage: [...(planInfo?.neverStage ?? [])] };
    await cleanUpAfterDeadPhasegate(repository, taken.tookOverFrom, journal.read() !== undefined, notice);
    await refuseHeldIndexLock(repository.git);
    const recovered = await recoverInterrupted({ git: repository.git, root: repository.root, journal, neverStage: session.neverStage });
    if (recovered) notice(recovered);
    // Read-only questions (each a git process) asked while `git status` walks the tree — at 20,000
    // files the status is the slow one; a dirty tree is still what is refused first.
    const reading = (async () => {
      const [target, head, branch] = await Promise.all([
        resolveTarget(repository, planName, command.target, planInfo?.doc), headCommit(repository.git), currentBranch(repository.git),
      ]);
      const [contained, manual] = await Promise.all([isAncestor(repository.git, target.target.commit, head), manualCommits(repository, target)]);
      return { target, head, branch, contained, manual };
    })();
    reading.catch(() => undefined);
    await protectUntracked(session as Parameters<typeof protectUntracked>[0], notice, recovered ? undefined : await status);
    const { target, contained } = await reading;
    let { head, branch, manual } = await reading;

    // From another branch (say, back on main), act on the migration branch that holds the tags.
    if (!contained) {
      const migration = await migrationBranch(repository, planName, planInfo);
      if (!migration || !(await isAncestor(repository.git, target.target.commit, `refs/heads/${migration}`))) {
        throw new RefusedError(`HEAD does not contain ${target.target.name}: check out the migration branch first`);
      }
      notice(`switching to the migration branch ${migration}`);
      await checkoutBranch(repository.git, migration);
      [head, branch, manual] = await Promise.all([headCommit(repository.git), currentBranch(repository.git), manualCommits(repository, target)]);
    }
    if (target.undo.length === 0 && manual.length === 0) {
      process.stdout.write(`nothing to undo: HEAD is at ${target.target.name}\n`);
      return 0;
    }
    if (manual.length > 0 && command.strategy === 'reset' && !command.yes && decideMode(false) === 'unattended') {
      throw new RefusedError(`HEAD has ${manual.length} commit(s) made after the last phase tag (${manual.slice(0, 3).map((c) => c.slice(0, 10)).join(', ')}${manual.length > 3 ? ', …' : ''}); ` +
        `rolling back to ${target.target.name} takes them off the branch (they stay reachable at refs/phasegate/${planName}/undone/manual-*). Run again with --yes to go ahead`);
    }
    // git reset --hard would silently overwrite an untracked file whose path the target tracks.
    const clobbered = session.neverStage.length === 0 ? [] : await repository.git.lines(['ls-tree', '-r', '--name-only', target.target.commit, '--', ...session.neverStage.map((file) => `:(literal)${file}`)]);
    if (clobbered.length > 0) {
      throw new RefusedError(`rolling back to ${target.target.name} would overwrite untracked file(s) that it tracks: ${clobbered.slice(0, 5).join(', ')}${clobbered.length > 5 ? ', …' : ''}; move them away first`);
    }
    const prompted = !command.yes && decideMode(false) === 'guided';
    if (prompted) {
      const titles = new Map((planInfo?.doc.phases ?? []).map((phase) => [phase.id, phase.title ?? phase.id]));
      const { confirmRollback } = await import('../prompts/rollback.js');
      if (!(await confirmRollback(await rollbackSummary(repository, target, manual, titles)))) {
        process.stdout.write('nothing changed\n');
        return 0;
      }
    }
    const result = await performRollback(
      { git: repository.git, root: repository.root, journal, doc: planInfo?.doc, planFile: planInfo?.plan.file, neverStage: session.neverStage },
      // After a prompt HEAD and the branch are read again: a person may have committed meanwhile.
      { plan: planName, branch: (prompted ? await currentBranch(repository.git) : branch) ?? null, head: prompted ? undefined : head, target: target.target, undo: target.undo, strategy: command.strategy, manual },
    );
    process.stdout.write(`${describeResult(result, manual.length)}\n`);
    for (const warning of result.warnings) notice(`warning: ${warning}`);
    return 0;
  } finally {
    lock.release();
  }
}

async function findPlan(repository: Awaited<ReturnType<typeof openRepository>>, command: Extract<Command, { name: 'rollback' }>, cwd: string, notice: (text: string) => void): Promise<PlanInRepository | undefined> {
  if (command.plan) return openPlan(repository, command.plan, cwd);
  const fromTag = command.target.startsWith('phasegate/') ? command.target.split('/')[1] : undefined;
  const name = fromTag ?? (await resolvePlanName(repository, command.target, undefined, undefined).catch(() => undefined));
  const file = name ? findPlanFile(repository.root, name) : undefined;
  if (!file) {
    if (name) notice(`note: no plans/${name}.yaml found; undoing without the phases' rollback steps (pass --plan to run them)`);
    return undefined;
  }
  return openPlan(repository, file, cwd);
}

/** Commits on HEAD that are no phase's: made by hand after the last phase tag. */
async function manualCommits(repository: Awaited<ReturnType<typeof openRepository>>, target: { target: { commit: string }; undo: { commit: string }[] }): Promise<string[]> {
  const exclude = [target.target.commit, ...target.undo.map((tag) => tag.commit)].map((commit) => `^${commit}`);
  return repository.git.lines(['rev-list', 'HEAD', ...exclude]);
}

async function migrationBranch(repository: Awaited<ReturnType<typeof openRepository>>, plan: string, planInfo: PlanInRepository | undefined): Promise<string | undefined> {
  const base = (await readPlanTags(repository.git, plan)).get('base');
  const recorded = base ? (/"branch": "([^"]+)"/.exec(base.message)?.[1]) : undefined;
  for (const candidate of [recorded, planInfo?.doc.branch, defaultBranch(plan)]) {
    if (candidate && (await branchExists(repository.git, candidate))) return candidate;
  }
  return undefined;
}

function describeResult(result: RollbackResult, manual: number): string {
  const lines = [`rolled back to ${result.target} (${result.strategy}) in ${formatDuration(result.durationMs)}; HEAD is ${result.head.slice(0, 10)}`];
  for (const phase of result.undone) {
    const steps = phase.steps.length ? `; rollback steps: ${phase.steps.map((s) => (s.ok ? '✔' : '✖') + ' ' + s.command).join(', ')}` : '';
    lines.push(`  ↩ ${phase.id}  ${phase.title}  (${phase.commit.slice(0, 10)} kept at ${phase.ref})${steps}`);
  }
  if (result.manualRef) lines.push(`  ↩ ${manual} commit(s) made after the last tag, kept at ${result.manualRef}`);
  return lines.join('\n');
}
