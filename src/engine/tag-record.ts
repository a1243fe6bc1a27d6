import type { PhaseReport } from '../report/model.js';

/**
 * The message of a phase tag is the phase's results as one JSON document (scripts can parse the
 * whole message), with a readable `summary` first. It carries the hash of the phase definition so
 * that a resumed run can tell a phase was edited.
 */
export interface TagRecord {
  /** One readable line, for `git show <tag>`. */
  summary: string;
  phasegate: 1;
  plan: string;
  phase: string;
  title: string;
  hash: string;
  commit: string;
  startCommit: string;
  score: number | null;
  threshold: number | null;
  filesChanged: number;
  insertions: number;
  deletions: number;
  durations: PhaseReport['durations'];
  checks: { name: string; kind: string; passed: boolean; weight: number; required: boolean; durationMs: number; summary: string; before?: number; after?: number }[];
  taggedAt: string;
  /**
   * The plan this phase ran with, kept in git with the tag so that `rollback`, `status` and
   * `rehearse` can use it wherever the plan file lives (or after it is gone or edited): its path
   * (relative to the repository root when inside it, else absolute) and its full text.
   */
  planFile?: string;
  planText?: string;
}

/** The plan file a run used, as recorded in its tags. */
export interface PlanSource { file: string; text: string }

/** What to record for a loaded plan (nothing when its text is unknown). */
export function planSource(planInfo: { plan: { file: string; text?: string }; planPath: string | undefined }): PlanSource | undefined {
  return planInfo.plan.text === undefined ? undefined : { file: planInfo.planPath ?? planInfo.plan.file, text: planInfo.plan.text };
}

export function tagMessage(plan: string, phase: PhaseReport, commit: string, source?: PlanSource): string {
  const score = phase.score === null ? '' : ` (score ${phase.score}%)`;
  const record: TagRecord = {
    summary: `phasegate ${plan}: ${phase.id} passed${score}`,
    phasegate: 1,
    plan,
    phase: phase.id,
    title: phase.title,
    hash: phase.hash,
    commit,
    startCommit: phase.startCommit ?? '',
    score: phase.score,
    threshold: phase.threshold,
    filesChanged: phase.filesChanged,
    insertions: phase.insertions,
    deletions: phase.deletions,
    durations: phase.durations,
    checks: phase.checks.map((check) => ({
      name: check.name, kind: check.kind, passed: check.passed, weight: check.weight, required: check.required,
      durationMs: check.durationMs, summary: check.summary, before: check.details.before, after: check.details.after,
    })),
    taggedAt: new Date().toISOString(),
    ...(source ? { planFile: source.file, planText: source.text } : {}),
  };
  return `${JSON.stringify(record, null, 2)}\n`;
}

export function parseTagMessage(message: string): TagRecord | undefined {
  // Tolerates text before the JSON (tags written by earlier versions had a title line).
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const record = JSON.parse(message.slice(start).trim()) as TagRecord;
    return record.phasegate === 1 ? record : undefined;
  } catch {
    return undefined;
  }
}
