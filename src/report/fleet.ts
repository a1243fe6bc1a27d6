import path from 'node:path';
import type { RunReport } from './model.js';

/**
 * One row per repository from its `--report` file, for `phasegate report merge`: how far the
 * plan got, why it stopped. A fleet reads top-down, so failures come first.
 */
export interface FleetRow {
  file: string;
  repository: string;
  branch: string | null;
  plan: string;
  planHash: string | null;
  /** The last phase tagged (in this run or before), or null when none is. */
  phaseReached: string | null;
  phasesTagged: number;
  phasesTotal: number;
  /** The last tagged phase's score, or the failed phase's score when one failed. */
  score: number | null;
  result: string;
  changed: boolean | null;
  exitCode: number;
  failedPhase: string | null;
  reason: string | null;
  durationMs: number;
}

export interface Fleet {
  rows: FleetRow[];
  totals: Record<string, number>;
  /** Set when the reports ran different versions of the plan (or different plans). */
  planVersions: { plan: string; planHash: string; repositories: string[] }[];
  mixedPlans: boolean;
}

/** Order of results in the table: what needs a person first. */
const RESULT_ORDER = ['error', 'failed', 'interrupted', 'refused', 'stopped', 'failed (dry run)', 'passed (dry run)', 'passed'];

export function fleetRow(file: string, report: RunReport): FleetRow {
  // A dry run tagged nothing in the repository: its phases passed in a scratch clone only.
  const tagged = report.dryRun ? [] : report.phases.filter((phase) => phase.status === 'passed');
  const last = tagged.at(-1);
  const failed = report.phases.find((phase) => phase.status === 'failed' || phase.status === 'rolled-back');
  const reason = failed?.reason ?? (report.result === 'passed' ? null : report.message ?? null);
  return {
    file, repository: report.repository ? path.basename(report.repository) : '?', branch: report.branch, plan: report.plan,
    planHash: report.planHash ?? null, phaseReached: last?.id ?? null, phasesTagged: tagged.length, phasesTotal: report.phases.length,
    score: failed?.score ?? last?.score ?? null, result: report.dryRun ? `${report.result} (dry run)` : report.result, changed: report.changed ?? null, exitCode: report.exitCode,
    failedPhase: failed?.id ?? null, reason: reason ? reason.split('\n')[0] : null, durationMs: report.durationMs,
  };
}

export function buildFleet(rows: FleetRow[]): Fleet {
  // A result this version does not know sorts first: someone should look at it.
  const rank = (row: FleetRow) => RESULT_ORDER.indexOf(row.result) + 1;
  const sorted = [...rows].sort((a, b) => rank(a) - rank(b) || a.repository.localeCompare(b.repository) || a.file.localeCompare(b.file));
  const totals: Record<string, number> = { repositories: rows.length };
  for (const row of sorted) totals[row.result] = (totals[row.result] ?? 0) + 1;
  // Of the passed, those whose every phase was tagged before: the fleet's "nothing to do".
  totals['nothing to do'] = rows.filter((row) => row.result === 'passed' && row.changed === false).length;
  const versions = new Map<string, Fleet['planVersions'][number]>();
  // A run refused before it read the plan (or a report from before plan hashes) has no version to compare.
  for (const row of sorted.filter((candidate) => candidate.planHash !== null)) {
    const key = `${row.plan}@${row.planHash}`;
    if (!versions.has(key)) versions.set(key, { plan: row.plan, planHash: row.planHash!, repositories: [] });
    versions.get(key)!.repositories.push(row.repository);
  }
  const planVersions = [...versions.values()];
  return { rows: sorted, totals, planVersions, mixedPlans: planVersions.length > 1 };
}
