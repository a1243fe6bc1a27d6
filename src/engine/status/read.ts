import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../../errors.js';
import { currentBranch, headCommit, isAncestor } from '../../git/state.js';
import type { TagInfo } from '../../git/tags.js';
import { plansWithTags } from '../../git/tags.js';
import { loadPlanCached } from '../plans/cached-load.js';
import { describeInterruption, Journal } from '../../state/journal.js';
import { isAlive, RepositoryLock } from '../../state/lock.js';
import { isAfter, lastAttempts, type Attempt } from '../attempts.js';
import type { Baselines } from '../baselines/baselines.js';
import { readPlanState } from '../plan-state.js';
import { readPhasegateTags } from '../plan-tags.js';
import { planFileOrRecorded } from '../recorded-plan.js';
import { openRepository, type Repository } from '../session.js';
import { commitsSinceBase, startBranchOf } from '../sync/onto.js';
import { parseTagMessage, recordedBaselines, recordedBranch } from '../../git/tag-record.js';

/**
 * What `phasegate status` reports, read from the repository: each plan's tags, its last attempts,
 * the running or interrupted process. Only reads; the command formats it (text or JSON).
 */
export interface PhaseStatus {
  id: string;
  title: string | null;
  tagged: boolean;
  tag: string | null;
  commit: string | null;
  taggedAt: string | null;
  score: number | null;
  changedSinceTag: boolean;
  /** What the phase was judged against (JUnit failures at base, ratchet counts), from its tag. */
  baselines?: Baselines;
  /** The stage the running phasegate process has reached in this phase. */
  running?: string;
  /** The phase's last attempt when it came after its tag (or it has none): failed, interrupted, rolled back. */
  lastAttempt: Attempt | null;
}

export interface PlanStatus {
  name: string;
  file: string | null;
  base: { tag: string; commit: string; baselines?: Baselines } | null;
  headContainsLastTag: boolean | null;
  phases: PhaseStatus[];
  next: string | null;
  problem?: string;
  /** The branch the migration started from, and how many commits it gained since the base tag. */
  behind?: { branch: string; commits: number } | null;
}

export interface RepositoryStatus {
  repository: string;
  branch: string | null;
  head: string;
  running: { pid: number; command: string; startedAt: string; phase: string | null; stage: string | null } | null;
  interrupted: string | null;
  plans: PlanStatus[];
}

/** One plan when named (its load errors are thrown), else every plan with a file or tags. */
export async function readStatus(planName: string | undefined, cwd = process.cwd()): Promise<RepositoryStatus> {
  const repository = await openRepository(cwd, { readOnly: true });
  // Two independent questions: asked side by side.
  const [head, onBranch] = await Promise.all([headCommit(repository.git), currentBranch(repository.git)]);
  const branch = onBranch ?? null;
  const journal = new Journal(repository.stateDir).read();
  const owner = new RepositoryLock(repository.stateDir).owner();
  const running = owner && isAlive(owner) ? owner : undefined;
  const interrupted = journal && !running ? describeInterruption(journal) : null;
  // The live process's journal says which phase it is working on, and at which stage.
  const working = journal && running && journal.operation === 'run' ? { plan: journal.plan, phase: journal.phase, stage: journal.stage } : null;

  const plans: PlanStatus[] = [];
  for (const name of planName ? [planName] : await knownPlans(repository)) {
    const plan = await planStatus(repository, name, cwd, head, Boolean(planName));
    const attempts = await lastAttempts(repository.git, plan.name);
    for (const phase of plan.phases) {
      const attempt = attempts.get(phase.id);
      phase.lastAttempt = attempt && isAfter(attempt, phase.taggedAt) ? attempt : null;
    }
    plans.push(plan);
  }
  if (working) {
    const phase = plans.find((plan) => plan.name === working.plan)?.phases.find((entry) => entry.id === working.phase && !entry.tagged);
    if (phase) phase.running = working.stage;
  }
  return {
    repository: repository.root, branch, head,
    running: running ? { pid: running.pid, command: running.command, startedAt: running.startedAt, phase: working?.phase ?? null, stage: working?.stage ?? null } : null,
    interrupted, plans,
  };
}

async function planStatus(repository: Repository, name: string, cwd: string, head: string, explicit: boolean): Promise<PlanStatus> {
  let planInfo;
  try {
    // Only the document: status neither stages nor cleans, so it has no use for openPlan's extras.
    // A plan file that is not where its name says is used as its tags recorded it.
    const plan = await planFileOrRecorded(repository, name, cwd, (file) => loadPlanCached(file, cwd, repository.stateDir, { remember: false }));
    planInfo = 'recordedIn' in plan ? plan : { plan, doc: plan.document };
  } catch (error) {
    if (explicit) throw error;
    return fromTagsOnly(repository, name, head, errorMessage(error).split('\n')[0]);
  }
  const state = await readPlanState(repository.git, planInfo.doc);
  const phases = state.phases.map((phase): PhaseStatus => ({
    id: phase.phase.id, title: phase.phase.title ?? null, tagged: Boolean(phase.tag), tag: phase.tag?.name ?? null,
    commit: phase.tag?.commit ?? null, taggedAt: phase.tag?.date ?? null, score: phase.record?.score ?? null, changedSinceTag: phase.changed, lastAttempt: null,
    ...(phase.record?.baselines ? { baselines: phase.record.baselines } : {}),
  }));
  const lastTag = [...state.phases].reverse().find((phase) => phase.tag)?.tag ?? state.base;
  return {
    name: planInfo.doc.name, file: planInfo.plan.displayPath,
    base: state.base ? { tag: state.base.name, commit: state.base.commit, ...withBaselines(recordedBaselines(state.base)) } : null,
    headContainsLastTag: lastTag ? await isAncestor(repository.git, lastTag.commit, head) : null,
    phases, next: phases.find((phase) => !phase.tagged)?.id ?? null, behind: state.base ? await behindBase(repository, state.base) : null,
  };
}

/** How far the migration's base is behind the branch it started from (sync is due when > 0). */
async function behindBase(repository: Repository, base: TagInfo): Promise<{ branch: string; commits: number } | null> {
  const start = await startBranchOf(repository.git, base, recordedBranch(base));
  return start ? { branch: start, commits: await commitsSinceBase(repository.git, base, start) } : null;
}

/** A plan whose file is gone (or broken) still has tags worth showing. */
async function fromTagsOnly(repository: Repository, name: string, head: string, problem: string): Promise<PlanStatus> {
  const tags = await readPhasegateTags(repository.git, name);
  const base = tags.get('base');
  const phases = [...tags.values()].filter((tag) => tag.phase !== 'base').sort((a, b) => a.date.localeCompare(b.date)).map((tag): PhaseStatus => {
    const record = parseTagMessage(tag.message);
    return { id: tag.phase, title: record?.title ?? null, tagged: true, tag: tag.name, commit: tag.commit, taggedAt: tag.date, score: record?.score ?? null, changedSinceTag: false, lastAttempt: null };
  });
  const last = phases.at(-1)?.commit ?? base?.commit;
  return {
    name, file: null, base: base ? { tag: base.name, commit: base.commit } : null,
    headContainsLastTag: last ? await isAncestor(repository.git, last, head) : null, phases, next: null, problem,
  };
}

async function knownPlans(repository: Repository): Promise<string[]> {
  const names = new Set(await plansWithTags(repository.git));
  const dir = path.join(repository.root, 'plans');
  if (existsSync(dir)) {
    for (const file of readdirSync(dir)) if (/\.ya?ml$/.test(file)) names.add(file.replace(/\.ya?ml$/, ''));
  }
  return [...names].sort();
}

function withBaselines(baselines: Baselines | undefined): { baselines?: Baselines } {
  return baselines ? { baselines } : {};
}
