import { formatDuration } from '../plan/duration.js';
import { filesAndLines } from './lists.js';
import type { PhaseReport, RunReport } from './model.js';

/**
 * `run --pr-body`: the description of the migration's pull request. A reviewer reads it to learn
 * what each phase did and proved, and how to take any of it back; the commands are the real ones
 * for this plan, ready to paste.
 */
export function formatPrBody(report: RunReport): string {
  const out: string[] = [];
  const tagged = report.phases.filter((phase) => phase.status === 'passed');
  out.push(`# ${report.planTitle}`, '');
  out.push(`This pull request was made by phasegate with the plan \`${report.plan}\` (${code(report.planFile)}${report.planHash ? `, version \`${report.planHash}\`` : ''}): ${tagged.length} of ${report.phases.length} phases passed their checks and are tagged${report.result === 'passed' ? '.' : ` — the run ended **${report.result}**${report.message ? `: ${report.message.split('\n')[0]}` : ''}.`}`);
  out.push('', 'Review it commit by commit: each phase is one commit.');
  for (const [index, phase] of report.phases.entries()) out.push('', ...phaseSection(phase, index + 1));
  out.push('', '## How to roll back', '');
  out.push('Every phase is tagged; `phasegate rollback` puts the branch back to a tag and runs the rollback steps of the phases after it, newest first:', '', '```sh');
  const width = Math.max(4, ...tagged.map((phase) => phase.id.length));
  tagged.forEach((phase, index) => {
    const undone = tagged.slice(index + 1).map((later) => later.id);
    out.push(`phasegate rollback ${phase.id.padEnd(width)}   # ${undone.length ? `undo ${undone.join(', ')}; keep ${phase.id}` : `nothing to undo: ${phase.id} is the last tagged phase`}`);
  });
  out.push(`phasegate rollback ${'base'.padEnd(width)}   # undo every phase: back to where the migration started`);
  out.push('```', '', 'On a branch that is already pushed, add `--strategy revert` to undo with revert commits instead of moving the branch; in a repository with other phasegate plans, add `--plan <plan>`.');
  out.push('', '## Keep it from coming back', '', "Add this to the repository's CI so that the checks of the completed phases keep holding after the merge:", '', '```sh', `phasegate verify ${report.planFile}`, '```');
  return `${out.join('\n')}\n`;
}

function phaseSection(phase: PhaseReport, number: number): string[] {
  const out = [`## ${number}. ${oneLine(phase.title)} (\`${phase.id}\`)`, ''];
  const status = phase.status === 'passed' ? (phase.earlierRun ? '✅ passed (in an earlier run)' : '✅ passed') : phase.status === 'skipped' ? '· not run' : `❌ ${phase.status}`;
  out.push(`- **Status:** ${status}${phase.status === 'passed' ? ` in ${formatDuration(phase.durations.totalMs)}` : ''}`);
  if (phase.status === 'skipped') return out;
  out.push(`- **Changed:** ${filesAndLines(phase)}`);
  if (phase.checks.length > 0) {
    const passed = phase.checks.filter((check) => check.passed).length;
    out.push(`- **Checks:** ${passed}/${phase.checks.length} passed${phase.score !== null ? `, score ${phase.score}%${phase.threshold !== null ? ` (needs ${phase.threshold}%)` : ''}` : ''}`);
    for (const check of phase.checks) out.push(`  - ${check.passed ? '✅' : '❌'} ${oneLine(check.name)} — ${oneLine(check.summary)}`);
  } else if (phase.score !== null) {
    out.push(`- **Score:** ${phase.score}%${phase.threshold !== null ? ` (needs ${phase.threshold}%)` : ''}`);
  }
  if (phase.tag && phase.status === 'passed') out.push(`- **Tag:** \`${phase.tag}\`${phase.commit ? ` (commit ${phase.commit.slice(0, 12)})` : ''}`);
  if (phase.status !== 'passed' && phase.reason) out.push(`- **Why it stopped:** ${oneLine(phase.reason)}${phase.failedRef ? ` — the attempt is kept at \`${phase.failedRef}\`` : ''}`);
  return out;
}

function oneLine(text: string): string {
  return text.split('\n')[0];
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
