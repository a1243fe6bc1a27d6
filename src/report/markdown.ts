import { formatDuration } from '../plan/duration.js';
import type { RunReport } from './model.js';
import { lineChange, matchLines } from './lists.js';

/** A Markdown summary fit for a pull-request description. */
export function formatMarkdown(report: RunReport): string {
  const out: string[] = [];
  const icon = report.result === 'passed' ? '✅' : report.result === 'stopped' ? '⏸️' : '❌';
  out.push(`## ${icon} phasegate: ${escape(report.planTitle)}`, '');
  out.push(`Plan \`${report.plan}\` (${escape(report.planFile)})${report.branch ? ` on branch \`${report.branch}\`` : ''} — **${report.result}** (exit ${report.exitCode}) in ${formatDuration(report.durationMs)}.`);
  if (report.message) out.push('', `> ${escape(report.message).split('\n').join('\n> ')}`);
  if (report.preflight) out.push(...preflightSection(report.preflight));
  // A run refused before its first phase has no phase rows to show.
  if (report.phases.length > 0) out.push('', '| Phase | Status | Score | Files | +/− | Checks | Tag | Time |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const phase of report.phases) {
    const score = phase.score === null ? '—' : `${phase.score}%${phase.threshold !== null ? ` (≥ ${phase.threshold}%)` : ''}`;
    const checks = phase.checks.length ? `${phase.checks.filter((c) => c.passed).length}/${phase.checks.length}` : '—';
    const tag = phase.tag && phase.status === 'passed' ? `\`${phase.tag}\`` : '—';
    out.push(`| ${escape(phase.title)} (\`${phase.id}\`) | ${phase.status}${phase.earlierRun ? ' (earlier run)' : ''} | ${score} | ${phase.filesChanged} | ${lineChange(phase, '/') ?? '—'} | ${checks} | ${tag} | ${formatDuration(phase.durations.totalMs)} |`);
  }
  for (const phase of report.phases.filter((p) => p.checks.length > 0 || p.steps.length > 0)) {
    out.push('', `### ${escape(phase.title)}`, '');
    for (const step of phase.steps) {
      const note = step.error ? ` — ❌ ${escape(step.error.split('\n')[0])}` : step.notes.length ? ` — ${escape(step.notes.join('; '))}` : '';
      out.push(`- step ${step.index + 1}: ${escape(step.name)}: ${step.filesChanged} file(s) changed${note}`);
    }
    for (const check of phase.checks) {
      const counts = check.details.before !== undefined ? ` (matches before: ${check.details.before}, after: ${check.details.after})` : '';
      out.push(`- ${check.passed ? '✅' : '❌'} ${escape(check.name)}${check.required ? ' (required)' : ''} — ${escape(check.summary)}${counts}`);
      const evidence = [
        ...matchLines(check.details, 10, 200),
        ...(!check.passed ? (check.details.outputTail ?? []).slice(-10) : []),
      ];
      if (!check.passed && evidence.length) out.push('', '  ```', ...evidence.map((line) => `  ${line}`), '  ```');
    }
    if (phase.reason && phase.status !== 'passed') out.push('', `Reverted: ${escape(phase.reason.split('\n')[0])}${phase.failedRef ? ` — work kept at \`${phase.failedRef}\`` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

function preflightSection(preflight: NonNullable<RunReport['preflight']>): string[] {
  const out = ['', `### Preflight — ${preflight.passed ? 'passed' : 'failed'} in ${formatDuration(preflight.durationMs)}`, ''];
  for (const check of preflight.checks) {
    out.push(`- ${check.passed ? '✅' : '❌'} ${escape(check.name)} — ${escape(check.summary)} (${formatDuration(check.durationMs)})`);
    if (!check.passed && check.outputTail.length) out.push('', '  ```', ...check.outputTail.slice(-10).map((line) => `  ${line}`), '  ```');
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}
