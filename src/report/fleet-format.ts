import { formatDuration } from '../plan/duration.js';
import type { Fleet, FleetRow } from './fleet.js';

/** The fleet table as plain text (stdout) and as Markdown (a job summary, an issue, a PR). */
const HEADERS = ['repository', 'branch', 'phase reached', 'score', 'result', 'failed phase', 'reason', 'duration'];

function cells(row: FleetRow): string[] {
  return [
    row.repository,
    row.branch ?? '—',
    row.phaseReached ? `${row.phaseReached} (${row.phasesTagged}/${row.phasesTotal})` : `none (0/${row.phasesTotal})`,
    row.score === null ? '—' : `${row.score}%`,
    row.result === 'passed' && row.changed === false ? 'passed (nothing to do)' : row.result,
    row.failedPhase ?? '—',
    row.reason ? truncate(row.reason, 100) : '—',
    formatDuration(row.durationMs),
  ];
}

export function formatFleetText(fleet: Fleet): string {
  const rows = [HEADERS, ...fleet.rows.map(cells)];
  const widths = HEADERS.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const out = [line(rows[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)];
  out.push('', `totals: ${totalsLine(fleet)}`);
  out.push(...planVersionLines(fleet));
  return `${out.join('\n')}\n`;
}

export function formatFleetMarkdown(fleet: Fleet): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const plans = [...new Set(fleet.rows.map((row) => row.plan))].map((plan) => `\`${plan}\``).join(', ');
  const out = [`## phasegate fleet: ${plans}`, '', `**${totalsLine(fleet)}**`, ''];
  if (fleet.mixedPlans) {
    out.push(`> ⚠️ The reports ran ${fleet.planVersions.length} different plan versions:`, '>');
    for (const version of fleet.planVersions) out.push(`> - \`${version.plan}\` @ \`${version.planHash}\`: ${version.repositories.join(', ')}`);
    out.push('');
  }
  out.push(`| ${HEADERS.join(' | ')} |`, `| ${HEADERS.map(() => '---').join(' | ')} |`);
  for (const row of fleet.rows) out.push(`| ${cells(row).map(escape).join(' | ')} |`);
  return `${out.join('\n')}\n`;
}

function totalsLine(fleet: Fleet): string {
  const { repositories, 'nothing to do': unchanged, ...counts } = fleet.totals;
  const parts = Object.entries(counts).map(([name, count]) => `${count} ${name}${name === 'passed' && unchanged ? ` (${unchanged} with nothing to do)` : ''}`);
  return `${repositories} repositories: ${parts.join(', ') || 'none'}`;
}

function planVersionLines(fleet: Fleet): string[] {
  if (!fleet.mixedPlans) return [];
  return [
    `warning: the reports ran ${fleet.planVersions.length} different plan versions:`,
    ...fleet.planVersions.map((version) => `  ${version.plan} @ ${version.planHash}: ${version.repositories.join(', ')}`),
  ];
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
