import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli.js';
import { ExitCode, RefusedError, errorMessage } from '../errors.js';
import { buildFleet, fleetRow } from '../report/fleet.js';
import { formatFleetMarkdown, formatFleetText } from '../report/fleet-format.js';
import type { RunReport } from '../report/model.js';

type ReportMergeCommand = Extract<Command, { name: 'report-merge' }>;

/**
 * `phasegate report merge`: many repositories' `--report` files → one table, failures first.
 * Reads only the files named; a file that is not a phasegate run report refuses the whole merge
 * (a fleet table that silently misses a repository would say the fleet is fine when it is not).
 */
export async function reportMergeCommand(command: ReportMergeCommand, cwd = process.cwd()): Promise<number> {
  const rows = command.reports.map((file) => fleetRow(file, readRunReport(path.resolve(cwd, file), file)));
  const fleet = buildFleet(rows);
  process.stdout.write(formatFleetText(fleet));
  const written: string[] = [];
  const write = (file: string | undefined, content: string) => {
    if (!file) return;
    const target = path.resolve(cwd, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    written.push(file);
  };
  write(command.markdown, formatFleetMarkdown(fleet));
  write(command.json, `${JSON.stringify(fleet, null, 2)}\n`);
  if (written.length) process.stderr.write(`wrote ${written.join(', ')}\n`);
  return ExitCode.ok;
}

function readRunReport(file: string, shown: string): RunReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error);
    throw new RefusedError(`${shown}: cannot read this report: ${why}; pass the files written by 'phasegate run --report'`);
  }
  const report = data as Partial<RunReport>;
  const isRunReport = report && typeof report === 'object' && report.tool?.name === 'phasegate'
    && typeof report.plan === 'string' && typeof report.result === 'string' && Array.isArray(report.phases);
  if (!isRunReport) throw new RefusedError(`${shown}: not a phasegate run report (no tool, plan, result or phases); pass the files written by 'phasegate run --report'`);
  return report as RunReport;
}
