import { GitClient } from '../../git/client.js';

import { commitsNotIn, resolveCommit, treeOf, uncommittedChanges } from '../../git/state.js';
import { readPlanTags } from '../../git/tags.js';
import { readPhasegateTags } from '../plan-tags.js';
import { unattended } from '../decisions.js';
import { Journal } from '../../state/journal.js';
import { performRollback } from '../rollback/perform.js';
import { resolveTarget } from '../rollback/target.js';
import { planFileOrRecorded } from '../recorded-plan.js';
import { runPlan } from '../run/run-plan.js';
import { withScratchClone } from './clone.js';
import { carryInto, carryRequest, type CarriedPath } from './carry.js';
import { carryHint, failedAsMissing, withCarryHint } from './hint.js';
import { placePlan } from './place-plan.js';
import { openPlan, openRepository, type PlanInRepository, type Repository } from '../session.js';
import { stateDir } from '../../state/state-dir.js';
import { firstFew } from '../../words.js';

/**
 * `phasegate rehearse`: prove the rollback procedures in a scratch clone. Apply every phase, roll
 * back to base through the same code as `phasegate rollback`, check the tree equals the start,
 * apply again and check every phase produced the same tree as the first time.
 */
export interface RehearsalResult {
  start: string;
  passed: boolean;
  problems: string[];
  warnings: string[];
  phases: { id: string; firstTree?: string; secondTree?: string; rollbackSteps: { command: string; ok: boolean }[] }[];
  /** Ignored paths brought into the clone (`carry:`, `--carry`), and how. */
  carried: CarriedPath[];
  /** Set when a command failed as a missing tool would: what to carry. */
  hint?: string;
  durationMs: number;
}

interface RehearsalOptions { interactive: boolean; signal: AbortSignal; notice: (text: string) => void; carry?: readonly string[] }

export async function rehearse(cwd: string, planArgument: string | undefined, options: RehearsalOptions): Promise<RehearsalResult> {
  const started = performance.now();
  const repository = await openRepository(cwd, { readOnly: true });
  // Without a plan (or a name whose file is elsewhere): the plan the tags recorded.
  const planInfo = await planFileOrRecorded(repository, planArgument, cwd, (file) => openPlan(repository, file, cwd));
  const { doc } = planInfo;
  // Rehearse the migration from its start: the plan's base tag if it has one, else HEAD.
  const tags = await readPhasegateTags(repository.git, doc.name);
  const base = tags.get('base');
  const start = base?.commit ?? (await resolveCommit(repository.git, 'HEAD'))!;
  const byHand = await commitsByHand(repository.git, base?.commit, doc.phases.flatMap((phase) => tags.get(phase.id)?.commit ?? []));
  const carry = await carryRequest(repository.git, repository.root, doc, options.carry ?? [], cwd);
  options.notice(`rehearsing plan '${doc.name}' from ${base ? base.name : 'HEAD'} (${start.slice(0, 10)}) in a scratch clone; your repository is not touched`);
  const warnings = byHand.length === 0 ? [] : [`the migration holds ${byHand.length} commit(s) a person added between phase tags (${firstFew(byHand.map((commit) => commit.slice(0, 10)))}); the rehearsal applies the plan alone from base, without them`];
  const result: RehearsalResult = { start, passed: false, problems: [], warnings, phases: doc.phases.map((phase) => ({ id: phase.id, rollbackSteps: [] })), carried: [], durationMs: 0 };

  await withScratchClone(repository.root, start, 'phasegate-rehearsal', async (cloneRoot) => {
    const clone = new GitClient(cloneRoot);
    // A fresh start: the clone must not resume from the real repository's phase tags.
    for (const tag of (await readPlanTags(clone, doc.name)).values()) await clone.run(['tag', '-d', tag.name]);
    const planArgumentInClone = await placePlan(planInfo, cloneRoot, clone);
    result.carried = await carryInto(repository.root, cloneRoot, clone, carry, options.notice);
    const run = async (label: string) => {
      const applied = await applyAll(cloneRoot, planArgumentInClone, options, label).catch((error: unknown) => { throw withCarryHint(error, carry); });
      if (applied.missing) result.hint = carryHint(carry);
      return applied;
    };

    const startTree = await treeOf(clone, 'HEAD');
    const first = await run('first application');
    if (!first.ok) return result.problems.push(first.problem!);
    await recordTrees(clone, doc.name, result, 'firstTree');

    const rolledBack = await rollbackToBase(clone, cloneRoot, planInfo);
    for (const phase of rolledBack.undone) {
      const entry = result.phases.find((p) => p.id === phase.id)!;
      entry.rollbackSteps = phase.steps.map((step) => ({ command: step.command, ok: step.ok }));
      for (const step of phase.steps.filter((s) => !s.ok)) result.problems.push(`phase '${phase.id}': rollback step \`${step.command}\` ${step.detail}`);
    }
    const endTree = await treeOf(clone, 'HEAD');
    const left = await uncommittedChanges(clone, planInfo.neverStage);
    if (endTree !== startTree) result.problems.push(`after rolling back to base the tree differs from the start (${endTree.slice(0, 10)} ≠ ${startTree.slice(0, 10)})`);
    if (left.length > 0) result.problems.push(`rolling back left files behind: ${left.slice(0, 10).join(', ')}`);
    // Carried paths are ignored on purpose (see scratch/carry.ts); not something the rollback left.
    const ignored = (await clone.lines(['ls-files', '--others', '--ignored', '--exclude-standard', '--directory']))
      .filter((entry) => !carry.some((file) => `${entry.replace(/\/$/, '')}/`.startsWith(`${file}/`)));
    if (ignored.length > 0) result.warnings.push(`ignored files remain after the rollback (rollback steps could remove them): ${firstFew(ignored, 5)}`);

    const second = await run('second application');
    if (!second.ok) return result.problems.push(second.problem!);
    await recordTrees(clone, doc.name, result, 'secondTree');
    for (const phase of result.phases) {
      if (phase.firstTree !== phase.secondTree) {
        const files = phase.firstTree && phase.secondTree ? await clone.entries(['diff-tree', '-r', '-z', '--name-only', phase.firstTree, phase.secondTree]) : [];
        result.problems.push(`phase '${phase.id}' is not repeatable: applying it again gave a different tree${files.length ? ` (${firstFew(files, 5)})` : ''}`);
        break;
      }
    }
    return undefined;
  }, 'rehearsal');
  result.passed = result.problems.length === 0;
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

async function applyAll(cloneRoot: string, plan: string, options: RehearsalOptions, label: string): Promise<{ ok: boolean; problem?: string; missing?: boolean }> {
  options.notice(`— ${label}`);
  const outcome = await runPlan({ cwd: cloneRoot, plan, noBranch: true, decisions: unattended, interactive: options.interactive, signal: options.signal, notice: options.notice });
  const failed = outcome.report.phases.find((phase) => phase.status !== 'passed');
  if (outcome.exitCode === 0 && !failed) return { ok: true };
  return { ok: false, missing: failedAsMissing(outcome.report), problem: `${label}: phase '${failed?.id ?? '?'}' ${failed?.status ?? 'failed'}${failed?.reason ? ` — ${failed.reason.split('\n')[0]}` : ''}` };
}

async function recordTrees(clone: GitClient, plan: string, result: RehearsalResult, key: 'firstTree' | 'secondTree'): Promise<void> {
  const tags = await readPlanTags(clone, plan);
  for (const phase of result.phases) {
    const tag = tags.get(phase.id);
    if (tag) phase[key] = await treeOf(clone, tag.commit);
  }
}

/** The same code path as `phasegate rollback base --yes`. */
async function rollbackToBase(clone: GitClient, cloneRoot: string, planInfo: PlanInRepository) {
  const repository: Repository = { root: cloneRoot, git: clone, stateDir: await stateDir(clone) };
  const target = await resolveTarget(repository, planInfo.doc.name, 'base', planInfo.doc);
  return performRollback(
    { git: clone, root: cloneRoot, journal: new Journal(repository.stateDir), doc: planInfo.doc, planFile: undefined, neverStage: planInfo.neverStage },
    { plan: planInfo.doc.name, branch: 'phasegate-rehearsal', target: target.target, undo: target.undo, strategy: 'reset', manual: [] },
  );
}

/** Commits between base and the last phase tag that no phase made: a person's, which the plan cannot make again. */
async function commitsByHand(git: GitClient, base: string | undefined, phaseCommits: readonly string[]): Promise<string[]> {
  const last = phaseCommits.at(-1);
  if (!base || !last) return [];
  const made = new Set(phaseCommits);
  return (await commitsNotIn(git, last, [base])).filter((commit) => !made.has(commit));
}
