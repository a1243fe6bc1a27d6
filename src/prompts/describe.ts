import type { PlanOverview } from '../engine/decisions.js';
import type { RollbackSummary } from '../engine/rollback/summary.js';
import type { Gate } from '../engine/run/gate.js';
import { describeGate } from '../engine/run/gate.js';
import type { FileChange } from '../git/state.js';
import { andMore, lineChange, matchLines } from '../report/lists.js';
import type { CheckReport, PhaseReport } from '../report/model.js';

/**
 * The text guided prompts show. Plain functions of what the engine reports, bounded in length: a
 * prompt taller than the terminal cannot be redrawn in place.
 */
const FILES_PER_STEP = 6;
const MATCHES_PER_CHECK = 5;
const TAIL_LINES = 6;
const MAX_LINES = 30;

function bounded(lines: string[], hint: string): string[] {
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES - 1), `  ${andMore(lines.length - MAX_LINES + 1, 'line')} (${hint})`];
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

export function describeOverview(overview: PlanOverview, branch: string | null): string[] {
  const lines = [`Plan '${overview.plan}' — ${overview.title}`];
  const width = Math.max(...overview.phases.map((phase) => phase.id.length));
  overview.phases.forEach((phase, index) => {
    const state = phase.willRun ? (phase.tagged ? 'runs again' : 'runs') : phase.tagged ? 'tagged, done' : 'not in this run';
    lines.push(`  ${phase.willRun ? '▶' : phase.tagged ? '✔' : '·'} ${index + 1}. ${phase.id.padEnd(width)}  ${phase.title} (${state})`);
    if (!phase.willRun) return;
    lines.push(`       transform: ${phase.stepNames.length ? phase.stepNames.join(' · ') : 'none'}`);
    lines.push(`       checks:    ${phase.checkNames.length ? phase.checkNames.join(' · ') : 'none'}`);
  });
  lines.push(`  ${branchLine(overview, branch)}`);
  return lines;
}

function branchLine(overview: PlanOverview, branch: string | null): string {
  if (branch === null) return `Branch: the current one, ${overview.currentBranch ?? 'detached HEAD'} (--no-branch)`;
  if (branch === overview.currentBranch) return `Branch: ${branch} (current)`;
  return `Branch: ${branch} (${overview.branchExists ? 'exists; the run resumes on it' : `new, from ${overview.currentBranch ?? 'HEAD'}`})`;
}

/**
 * The phase's change, per transform step, with each file's line counts. With `stepFiles` (each
 * step's own diff, from a guided run's snapshots) a step shows what it changed itself; without,
 * its files with the whole phase's counts for them.
 */
export function describeChange(phase: PhaseReport, files: readonly FileChange[], stepFiles?: readonly (readonly FileChange[])[]): string[] {
  if (phase.filesChanged === 0) return [`Phase '${phase.id}' changed nothing.`];
  // A guided run counts the lines before its review; a report from elsewhere may not have them.
  const counted = lineChange(phase);
  const lines = [`Phase '${phase.id}' changed ${plural(phase.filesChanged, 'file')}${counted ? `, ${counted}` : ''}`];
  const byFile = new Map(files.map((change) => [change.file, change]));
  const shown = new Set<string>();
  phase.steps.forEach((step, position) => {
    const own = stepFiles?.[position];
    const changes = own ?? step.changedFiles.flatMap((file) => byFile.get(file) ?? []);
    const count = own ? own.length : step.filesChanged;
    lines.push(`  ${step.index + 1}. ${step.name} — ${count === 0 ? 'changed nothing' : plural(count, 'file')}`);
    lines.push(...fileLines(changes, count));
    for (const change of changes) shown.add(change.file);
    for (const file of own ? [] : step.changedFiles) shown.add(file);
  });
  const others = files.filter((change) => !shown.has(change.file));
  if (others.length > 0) {
    lines.push(`  other changes (files the steps did not report)`);
    lines.push(...fileLines(others, others.length));
  }
  return bounded(lines, 'the full diff shows everything');
}

function fileLines(changes: readonly FileChange[], total: number): string[] {
  const shown = changes.slice(0, FILES_PER_STEP);
  const name = (change: FileChange) => (change.from ? `${change.from} → ${change.file}` : change.file);
  const width = Math.min(Math.max(0, ...shown.map((change) => name(change).length)), 60);
  const lines = shown.map((change) => {
    // A pure rename changed no line: its arrow says it all.
    const counts = change.binary ? 'binary' : change.from && change.insertions + change.deletions === 0 ? '' : `+${change.insertions} −${change.deletions}`;
    return `       ${name(change).padEnd(width)}  ${counts}`.trimEnd();
  });
  const hidden = total - lines.length;
  if (hidden > 0 && lines.length > 0) lines.push(`       ${andMore(hidden, 'file')}`);
  return lines;
}

/** Which checks failed and why: matches as file:line, a command's last output, the score. */
export function describeFailure(phase: PhaseReport, checks: readonly CheckReport[], gate: Gate): string[] {
  const lines = [`Phase '${phase.id}' failed its checks: ${describeGate(gate)}`];
  for (const check of checks.filter((entry) => !entry.passed)) {
    const change = check.details.before !== undefined ? ` (before the transform: ${check.details.before})` : '';
    lines.push(`  ✖ ${check.name} — ${check.summary}${change}${check.required ? ' [required]' : ''}`);
    for (const line of matchLines(check.details, MATCHES_PER_CHECK)) lines.push(`      ${line}`);
    for (const line of (check.details.outputTail ?? []).slice(-TAIL_LINES)) lines.push(`      | ${line.slice(0, 140)}`);
  }
  const passed = checks.filter((entry) => entry.passed).length;
  if (passed > 0) lines.push(`  ✔ ${plural(passed, 'other check')} passed`);
  return bounded(lines, 'the task list above and the report show every check');
}

export type { RollbackSummary };

/** What `phasegate rollback` will undo, newest phase first as it is undone. */
export function describeRollback(summary: RollbackSummary): string[] {
  if (summary.phases.length === 0) return [`Nothing to undo: the branch is already at ${summary.target}.`];
  const lines = [`Roll back to ${summary.target}: undo ${plural(summary.phases.length, 'phase')}, newest first`];
  for (const phase of summary.phases) {
    lines.push(`  ↩ ${phase.id} — ${phase.title} (${plural(phase.commits.length, 'commit')}, ${plural(phase.files, 'file')})`);
    for (const commit of phase.commits.slice(0, 5)) lines.push(`      ${commit}`);
    if (phase.commits.length > 5) lines.push(`      ${andMore(phase.commits.length - 5, 'commit')}`);
  }
  lines.push('  Their tags are deleted; the commits stay reachable under refs/phasegate/ for inspection.');
  return lines;
}
