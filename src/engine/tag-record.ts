import { formatBaseRecord, formatTagRecord, type Baselines, type PlanSource, type TagRecord } from '../git/tag-record.js';
import type { PhaseReport } from '../report/model.js';

/**
 * What goes into a tag's record: a phase's results as the report holds them, or where the
 * migration starts. The format itself, and its one reader, are git/tag-record.ts's.
 */

/**
 * What to record for a loaded plan (nothing when its text is unknown). A plan read back from a tag
 * (a sync without a plan) is recorded again under the file it came from, not where it was read.
 */
export function planSource(planInfo: { plan: { file: string; text?: string }; planPath: string | undefined; recordedFile?: string }): PlanSource | undefined {
  return planInfo.plan.text === undefined ? undefined : { file: planInfo.planPath ?? planInfo.recordedFile ?? planInfo.plan.file, text: planInfo.plan.text };
}

export function tagMessage(plan: string, phase: PhaseReport, commit: string, source?: PlanSource, baselines?: Baselines, replayable?: string): string {
  const score = phase.score === null ? '' : ` (score ${phase.score}%)`;
  return formatTagRecord({
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
    ...(phase.insertions !== undefined && phase.deletions !== undefined ? { insertions: phase.insertions, deletions: phase.deletions } : {}),
    durations: phase.durations,
    checks: phase.checks.map((check) => ({
      name: check.name, kind: check.kind, passed: check.passed, weight: check.weight, required: check.required,
      durationMs: check.durationMs, summary: check.summary, before: check.details.before, after: check.details.after,
    })),
    taggedAt: new Date().toISOString(),
    ...(source ? { planFile: source.file, planText: source.text } : {}),
    ...(baselines ? { baselines } : {}),
    ...(replayable ? { replayable } : {}),
  } satisfies TagRecord);
}

export interface BaseTagContent { source?: PlanSource; baselines?: Baselines; startBranch?: string | null }

export function baseTagMessage(plan: string, branch: string | null, { source, baselines, startBranch }: BaseTagContent = {}): string {
  const recorded = source ? { planFile: source.file, planText: source.text } : {};
  return formatBaseRecord({
    summary: `phasegate ${plan}: base`, phasegate: 1, plan, phase: 'base', branch, startBranch: startBranch ?? null,
    taggedAt: new Date().toISOString(), ...recorded, ...(baselines ? { baselines } : {}),
  });
}
