import { formatDuration } from '../plan/duration.js';
import { matchLines } from './lists.js';
import type { PhaseReport, RunReport } from './model.js';

/** The closing summary printed after the task list: one line per phase, failures in detail. */
const MARK: Record<PhaseReport['status'], string> = { passed: '✔', failed: '✖', skipped: '·', 'rolled-back': '↩' };

export function formatSummary(report: RunReport): string {
  const lines: string[] = [];
  const where = report.dryRun ? 'dry run (scratch clone; your repository is unchanged)' : report.branch ? `branch ${report.branch}` : 'detached HEAD';
  lines.push(`phasegate · ${report.plan} · ${where}`);
  const width = Math.max(...report.phases.map((phase) => phase.id.length), 4);
  for (const phase of report.phases) {
    lines.push(`  ${MARK[phase.status]} ${phase.id.padEnd(width)}  ${phaseLine(phase, report.dryRun)}`);
    if (phase.status === 'failed' || phase.status === 'rolled-back') lines.push(...failureLines(phase));
  }
  const exit = `exit ${report.exitCode}`;
  lines.push(`result: ${report.result} (${exit}, ${formatDuration(report.durationMs)})${report.message ? ` — ${report.message}` : ''}`);
  return lines.join('\n');
}

function phaseLine(phase: PhaseReport, dryRun: boolean): string {
  const parts: string[] = [phase.status];
  if (phase.status === 'passed') {
    if (phase.tag && !dryRun) parts.push(phase.tag);
    if (phase.earlierRun) parts.push('(tagged earlier)');
    if (phase.score !== null && !phase.earlierRun) parts.push(`score ${phase.score}%${phase.threshold !== null ? ` ≥ ${phase.threshold}%` : ''}`);
    if (!phase.earlierRun) parts.push(`${phase.filesChanged} file(s) changed`, `${phase.checks.filter((c) => c.passed).length}/${phase.checks.length} checks`, formatDuration(phase.durations.totalMs));
  } else if (phase.status !== 'skipped') {
    if (phase.score !== null && phase.checks.length) parts.push(scoreVerdict(phase));
    // A guided "keep the changes and stop" leaves the phase at HEAD: no rollback ran.
    if (!phase.rollback) parts.push('not reverted');
    else parts.push(phase.failedRef ? `reverted; work kept at ${phase.failedRef}` : 'reverted');
  }
  return parts.join('  ');
}

/** Why the gate failed: the score, or — when the score was enough — the required check that failed. */
function scoreVerdict(phase: PhaseReport): string {
  const required = phase.checks.filter((check) => check.required && !check.passed).map((check) => check.name);
  const met = phase.threshold !== null && phase.score !== null && phase.score >= phase.threshold;
  if (met && required.length > 0) return `required check failed: ${required.join(', ')} (score ${phase.score}% met ${phase.threshold}%)`;
  return `score ${phase.score}%${phase.threshold !== null ? ` (needs ${phase.threshold}%)` : ''}`;
}

function failureLines(phase: PhaseReport): string[] {
  const lines: string[] = [];
  if (phase.reason) lines.push(`      ${phase.reason.split('\n')[0]}`);
  for (const step of phase.steps.filter((entry) => entry.error)) {
    lines.push(`      ✖ step ${step.index + 1} ${step.name}: ${step.error!.split('\n').join('\n        ')}`);
  }
  for (const check of phase.checks.filter((entry) => !entry.passed)) {
    lines.push(`      ✖ ${check.name} — ${check.summary}`);
    for (const line of matchLines(check.details, 10)) lines.push(`          ${line}`);
    for (const line of (check.details.outputTail ?? []).slice(-6)) lines.push(`          | ${line.slice(0, 140)}`);
  }
  for (const step of phase.rollback?.steps.filter((entry) => !entry.ok) ?? []) lines.push(`      ! rollback step \`${step.command}\` ${step.detail}`);
  return lines;
}
