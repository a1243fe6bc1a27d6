import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli.js';
import { describeInterruption, Journal } from '../state/journal.js';
import { isAlive, RepositoryLock } from '../state/lock.js';
import { readPlanState } from '../engine/plan-state.js';
import { openRepository, type Repository } from '../engine/session.js';
import { parseTagMessage } from '../engine/tag-record.js';
import { errorMessage } from '../errors.js';
import { plansWithTags } from '../git/tags.js';
import { readPhasegateTags } from '../engine/plan-tags.js';
import { currentBranch, headCommit, isAncestor } from '../git/state.js';
import { loadPlanCached } from '../plan/cached-load.js';
import { resolvePlanPath } from '../plan/resolve.js';

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
  /** The stage the running phasegate process has reached in this phase. */
  running?: string;
}

interface PlanStatus {
  name: string;
  file: string | null;
  base: { tag: string; commit: string } | null;
  headContainsLastTag: boolean | null;
  phases: PhaseStatus[];
  next: string | null;
  problem?: string;
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
    plans.push(await planStatus(repository, name, cwd, head, Boolean(command.plan)));
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
    const plan = await loadPlanCached(resolvePlanPath(name, repository.root, cwd), cwd, repository.stateDir);
    planInfo = { plan, doc: plan.document };
  } catch (error) {
    if (explicit) throw error;
    return fromTagsOnly(repository, name, head, errorMessage(error).split('\n')[0]);
  }
  const state = await readPlanState(repository.git, planInfo.doc);
  const phases = state.phases.map((phase): PhaseStatus => ({
    id: phase.phase.id, title: phase.phase.title ?? null, tagged: Boolean(phase.tag), tag: phase.tag?.name ?? null,
    commit: phase.tag?.commit ?? null, taggedAt: phase.tag?.date ?? null, score: phase.record?.score ?? null, changedSinceTag: phase.changed,
  }));
  const lastTag = [...state.phases].reverse().find((phase) => phase.tag)?.tag ?? state.base;
  return {
    name: planInfo.doc.name, file: planInfo.plan.displayPath, base: state.base ? { tag: state.base.name, commit: state.base.commit } : null,
    headContainsLastTag: lastTag ? await isAncestor(repository.git, lastTag.commit, head) : null,
    phases, next: phases.find((phase) => !phase.tagged)?.id ?? null,
  };
}

/** A plan whose file is gone (or broken) still has tags worth showing. */
async function fromTagsOnly(repository: Repository, name: string, head: string, problem: string): Promise<PlanStatus> {
  const tags = await readPhasegateTags(repository.git, name);
  const base = tags.get('base');
  const phases = [...tags.values()].filter((tag) => tag.phase !== 'base').sort((a, b) => a.date.localeCompare(b.date)).map((tag): PhaseStatus => {
    const record = parseTagMessage(tag.message);
    return { id: tag.phase, title: record?.title ?? null, tagged: true, tag: tag.name, commit: tag.commit, taggedAt: tag.date, score: record?.score ?? null, changedSinceTag: false };
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
    const width = Math.max(4, ...plan.phases.map((phase) => phase.id.length));
    for (const phase of plan.phases) {
      const cells = phase.tagged
        ? [phase.tag, phase.commit?.slice(0, 10), phase.taggedAt, phase.score === null ? '' : `score ${phase.score}%`, phase.changedSinceTag ? 'CHANGED in the plan since tagged' : '']
        : [phase.running ? `running (${phase.running})` : phase.id === plan.next ? 'next' : 'pending'];
      lines.push(`  ${phase.tagged ? '✔' : phase.running ? '▶' : '·'} ${phase.id.padEnd(width)}  ${cells.filter(Boolean).join('  ')}`);
    }
    if (plan.headContainsLastTag === false) lines.push('  ! HEAD does not contain the last checkpoint (branch switched, reset or rebased)');
    lines.push(plan.next ? `  next: ${plan.next}` : plan.file ? '  every phase is tagged' : '');
  }
  return lines.filter((line, index, all) => !(line === '' && index === all.length - 1)).join('\n');
}
