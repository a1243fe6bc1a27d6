import type { Command } from '../cli.js';
import { describeBaselines } from '../engine/baselines/baselines.js';
import type { Attempt } from '../engine/attempts.js';
import { readStatus, type PlanStatus } from '../engine/status/read.js';

/** `phasegate status [<plan>] [--json]`: each phase's tag, commit, time and score, and what comes next. */
export async function statusCommand(command: Extract<Command, { name: 'status' }>, cwd = process.cwd()): Promise<number> {
  const status = await readStatus(command.plan, cwd);
  const { plans } = status;
  if (command.json) {
    // Asked about one plan, its fields are at the top level for scripts (`.phases[0].tag`, `.next`).
    const single = command.plan ? { plan: plans[0].name, ...plans[0] } : {};
    process.stdout.write(`${JSON.stringify({ ...status, ...single }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${formatStatus(status)}\n`);
  return 0;
}

function formatStatus(status: { branch: string | null; head: string; running: { pid: number; command: string } | null; interrupted: string | null; plans: PlanStatus[] }): string {
  const lines: string[] = [`on ${status.branch ? `branch ${status.branch}` : 'a detached HEAD'} at ${status.head.slice(0, 10)}`];
  if (status.running) lines.push(`a phasegate process is running: pid ${status.running.pid} (${status.running.command})`);
  if (status.interrupted) {
    // A sync is finished or undone (branch and tags all moved, or all back), not restored to a checkpoint.
    const next = status.interrupted.startsWith('a sync ')
      ? `  the next 'phasegate sync', 'phasegate run' or 'phasegate rollback' finishes it or puts the branch and its tags back first`
      : `  the next 'phasegate run' or 'phasegate rollback' restores the last checkpoint first`;
    lines.push(`INTERRUPTED: ${status.interrupted}`, next);
  }
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
