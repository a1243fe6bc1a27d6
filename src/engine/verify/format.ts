import type { CheckReport } from '../../report/model.js';
import type { VerifiedPhase, VerifyResult } from './verify.js';

/** How `verify` shows its result: text for people, JSON for scripts, annotations for GitHub Actions. */

const LINES_SHOWN = 20;

export function verifyText(result: VerifyResult): string {
  const lines = [`verify ${result.plan} at ${result.ref} (${result.commit.slice(0, 10)}, ${result.where}): ${result.passed ? 'all checks hold' : 'FAILED'}`];
  for (const phase of result.phases) {
    lines.push(`${phase.passed ? '✔' : '✖'} ${phase.id}${phase.tag ? '' : ' (no tag)'} — ${phase.gate}`);
    for (const check of phase.checks) {
      lines.push(`    ${check.passed ? '✔' : '✖'} ${check.name} — ${check.summary}`);
      if (check.passed) continue;
      const matches = check.details.matches ?? [];
      for (const match of matches.slice(0, LINES_SHOWN)) lines.push(`        ${match.file}:${match.line}: ${match.text.trim().slice(0, 120)}`);
      const total = check.details.matchCount ?? matches.length;
      if (total > LINES_SHOWN) lines.push(`        … and ${total - LINES_SHOWN} more`);
      for (const line of (check.details.outputTail ?? []).slice(-8)) lines.push(`        | ${line.slice(0, 160)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function verifyJson(result: VerifyResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/**
 * GitHub Actions workflow commands: one `::error file=…,line=…` per matching line of a failed
 * pattern check (it shows on the line in the pull request), one `::error::` for any other failed
 * check (`::warning` when the phase's score gate passes regardless). Only failures: a passing check
 * has nothing to point at.
 */
export function githubAnnotations(result: VerifyResult): string {
  const lines: string[] = [];
  for (const phase of result.phases) {
    // A failed check in a phase whose score gate still passes does not fail the job: a warning.
    const level = phase.passed ? 'warning' : 'error';
    for (const check of phase.checks.filter((entry) => !entry.passed)) {
      const title = `${result.plan}/${phase.id}: ${check.name}`;
      const matches = check.details.matches ?? [];
      if (check.kind !== 'run' && matches.length > 0) {
        for (const match of matches) {
          lines.push(`::${level} file=${property(match.file)},line=${match.line},title=${property(title)}::${data(`${check.summary}: ${match.text.trim()}`)}`);
        }
      } else {
        lines.push(`::${level} title=${property(title)}::${data(check.summary)}`);
      }
    }
  }
  if (result.passed) lines.push(`::notice title=${property(`phasegate verify ${result.plan}`)}::${data(`all checks of ${result.phases.length} phase(s) hold`)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** The Markdown appended to $GITHUB_STEP_SUMMARY. */
export function markdownSummary(result: VerifyResult): string {
  const lines = [
    `### phasegate verify ${result.plan}: ${result.passed ? '✅ all checks hold' : '❌ failed'}`,
    '',
    `At \`${result.ref}\` (\`${result.commit.slice(0, 10)}\`).`,
    '',
    '| Phase | Check | Result |',
    '| --- | --- | --- |',
  ];
  for (const phase of result.phases) for (const check of phase.checks) lines.push(`| ${cell(phase.id)} | ${cell(check.name)} | ${check.passed ? '✅' : '❌'} ${cell(check.summary)} |`);
  const failed = result.phases.flatMap((phase) => phase.checks.filter((check) => !check.passed).map((check) => ({ phase, check })));
  const located = failed.flatMap(({ phase, check }) => locations(phase, check));
  if (located.length > 0) lines.push('', '<details><summary>Where</summary>', '', ...located.slice(0, 100), '', '</details>');
  return `${lines.join('\n')}\n\n`;
}

function locations(phase: VerifiedPhase, check: CheckReport): string[] {
  return (check.details.matches ?? []).map((match) => `- \`${match.file}:${match.line}\` (${cell(phase.id)}: ${cell(check.name)})`);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Escaping of workflow command values, as the Actions toolkit does it. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
