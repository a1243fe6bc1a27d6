import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli.js';
import { describeInterruption, Journal } from '../state/journal.js';
import { isAlive, RepositoryLock } from '../state/lock.js';
import { readPlanState } from '../engine/plan-state.js';
import { isAfter, lastAttempts, type Attempt } from '../engine/attempts.js';
import { planFileOrRecorded } from '../engine/recorded-plan.js';
import { openRepository, type Repository } from '../engine/session.js';
import { parseTagMessage, recordedBaselines, recordedBranch } from '../engine/tag-record.js';
import { describeBaselines, type Baselines } from '../engine/baselines/baselines.js';
import { commitsSinceBase, startBranchOf } from '../engine/sync/onto.js';
import type { TagInfo } from '../git/tags.js';
import { errorMessage } from '../errors.js';
import { plansWithTags } from '../git/tags.js';
import { readPhasegateTags } from '../engine/plan-tags.js';
import { currentBranch, headCommit, isAncestor } from '../git/state.js';
import { loadPlanCached } from '../plan/cached-load.js';

/** `phasegate status [<plan>] [--json]`: each phase's tag, commit, time and score, and what comes next. */
interface PhaseStatus {
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

interface PlanStatus {
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

export async function statusCommand(command: Extract<Command, { name: 'status' }>, cwd = process.cwd()): Promise<number> {
  const repository = await openRepository(cwd);
  const head = await headCommit(repository.git);
  const branch = (await currentBranch(repository.git)) ?? null;
  const journal = new Journal(repository.stateDir).read();
  const owner = new RepositoryLock(repository.stateDir).owner();
  const running = owner && isAlive(owner) ? owner : undefined;
  const interrupted = journal && !running ? describeInterruption(journal) : null;
  // The live process's journal says which phase it is working on, and at which stage.
  const working = journal && running && journal.operation === 'run' ? { plan: journal.plan, phase: journal.phase, stage: journal.stage } : null;

  const plans: PlanStatus[] = [];
  for (const name of command.plan ? [command.plan] : await knownPlans(repository)) {
    const plan = await planStatus(repository, name, cwd, head, Boolean(command.plan));
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
  const status = {
    repository: repository.root, branch, head,
    running: running ? { pid: running.pid, command: running.command, startedAt: running.startedAt, phase: working?.phase ?? null, stage: working?.stage ?? null } : null,
    interrupted, plans,
  };
  if (command.json) {
    // Asked about one plan, its fields are at the top level for scripts (`.phases[0].tag`, `.next`).
    const single = command.plan ? { plan: plans[0].name, ...plans[0] } : {};
    process.stdout.write(`${JSON.stringify({ ...status, ...single }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${formatStatus(status)}\n`);
  return 0;
}

async function planStatus(repository: Repository, name: string, cwd: string, head: string, explicit: boolean): Promise<PlanStatus> {
  let planInfo;
  try {
    // Only the document: status neither stages nor cleans, so it has no use for openPlan's extras.
    // A plan file that is not where its name says is used as its tags recorded it.
    const plan = await planFileOrRecorded(repository, name, cwd, (file) => loadPlanCached(file, cwd, repository.stateDir));
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

function formatStatus(status: { branch: string | null; head: string; running: { pid: number; command: string } | null; interrupted: string | null; plans: PlanStatus[] }): string {
  const lines: string[] = [`on ${status.branch ? `branch ${status.branch}` : 'a detached HEAD'} at ${status.head.slice(0, 10)}`];
  if (status.running) lines.push(`a phasegate process is running: pid ${status.running.pid} (${status.running.command})`);
  if (status.interrupted) lines.push(`INTERRUPTED: ${status.interrupted}`, `  the next 'phasegate run' or 'phasegate rollback' restores the last checkpoint first`);
  if (status.plans.length === 0) lines.push('no plans found (plans/*.yaml) and no phasegate tags');
  for (const plan of status.plans) {
    lines.push('', `plan ${plan.name}${plan.file ? ` (${plan.file})` : ''}${plan.problem ? ` — ${plan.problem}` : ''}`);
    lines.push(`  base  ${plan.base ? `${plan.base.tag}  ${plan.base.commit.slice(0, 10)}` : 'not started'}`);
    for (const line of describeBaselines(plan.base?.baselines)) lines.push(`        baseline ${line}`);
    const width = Math.max(4, ...plan.phases.map((phase) => phase.id.length));
    for (const phase of plan.phases) {
      const attempt = phase.lastAttempt;
      const cells = phase.tagged
        ? [phase.tag, phase.commit?.slice(0, 10), phase.taggedAt, phase.score === null ? '' : `score ${phase.score}%`, phase.changedSinceTag ? 'CHANGED in the plan since tagged' : '']
        : phase.running ? [`running (${phase.running})`]
          : attempt ? [attemptCell(attempt), phase.id === plan.next ? '(next)' : '']
            : [phase.id === plan.next ? 'next' : 'pending'];
      const mark = phase.tagged ? '✔' : phase.running ? '▶' : attempt ? ATTEMPT_MARK[attempt.status] : '·';
      lines.push(`  ${mark} ${phase.id.padEnd(width)}  ${cells.filter(Boolean).join('  ')}`);
      // A tagged phase whose later attempt (say, a run --from it) failed says so under its tag.
      if (attempt && phase.tagged && !phase.running) lines.push(`    ${' '.repeat(width)}  last attempt ${attemptCell(attempt)}`);
      if (attempt && !phase.running) lines.push(...attemptDetail(attempt, width));
      for (const line of describeBaselines(phase.baselines)) lines.push(`      baseline ${line}`);
    }
    if (plan.behind && plan.behind.commits > 0) {
      lines.push(`  ! base ${plan.behind.branch} has ${plan.behind.commits} new commit${plan.behind.commits === 1 ? '' : 's'} since the migration started; run phasegate sync ${plan.name}`);
    }
    if (plan.headContainsLastTag === false) lines.push('  ! HEAD does not contain the last checkpoint (branch switched, reset or rebased)');
    const nextAttempt = plan.phases.find((phase) => phase.id === plan.next)?.lastAttempt;
    lines.push(plan.next ? `  next: ${plan.next}${nextAttempt ? ` (its last attempt ${ATTEMPT_WORD[nextAttempt.status]})` : ''}` : plan.file ? '  every phase is tagged' : '');
  }
  return lines.filter((line, index, all) => !(line === '' && index === all.length - 1)).join('\n');
}

const ATTEMPT_MARK: Record<Attempt['status'], string> = { failed: '✖', interrupted: '✖', 'rolled-back': '↩' };
const ATTEMPT_WORD: Record<Attempt['status'], string> = { failed: 'failed', interrupted: 'was interrupted', 'rolled-back': 'was rolled back' };

function attemptCell(attempt: Attempt): string {
  return `${attempt.status === 'rolled-back' ? 'rolled back' : attempt.status}${attempt.at ? ` ${attempt.at}` : ''}`;
}

/** Why, and where the attempt's work is kept (`git show <ref>`). */
function attemptDetail(attempt: Attempt, width: number): string[] {
  const indent = `    ${' '.repeat(width)}  `;
  return [
    ...(attempt.reason ? [`${indent}${attempt.reason}`] : []),
    `${indent}${attempt.status === 'rolled-back' ? 'its commit is kept at' : 'its work is kept at'} ${attempt.ref} (${attempt.commit.slice(0, 10)})`,
  ];
}

function withBaselines(baselines: Baselines | undefined): { baselines?: Baselines } {
  return baselines ? { baselines } : {};
}
