import type { TagInfo } from '../git/tags.js';
import type { PhaseReport } from '../report/model.js';
import type { Baselines } from './baselines/baselines.js';

/**
 * The message of a phase tag: a readable summary line (what `git tag -n1` and `git log --decorate`
 * users see), a blank line, then the phase's results as one JSON document. The JSON carries the
 * hash of the phase definition so that a resumed run can tell a phase was edited. This file is the
 * only reader and writer of that format; it reads the older messages too (JSON only, or a title
 * line then JSON).
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
  /** The baselines the phase was judged against (JUnit failures at base, ratchet counts at this tag). */
  baselines?: Baselines;
}

/** The plan file a run used, as recorded in its tags. */
export interface PlanSource { file: string; text: string }

/** What to record for a loaded plan (nothing when its text is unknown). */
export function planSource(planInfo: { plan: { file: string; text?: string }; planPath: string | undefined }): PlanSource | undefined {
  return planInfo.plan.text === undefined ? undefined : { file: planInfo.planPath ?? planInfo.plan.file, text: planInfo.plan.text };
}

export function tagMessage(plan: string, phase: PhaseReport, commit: string, source?: PlanSource, baselines?: Baselines): string {
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
    ...(baselines ? { baselines } : {}),
  };
  return `${record.summary}\n\n${JSON.stringify(record, null, 2)}\n`;
}

export function parseTagMessage(message: string): TagRecord | undefined {
  // The JSON starts on a line of its own: at the top (earlier versions), or after the summary.
  const start = message.startsWith('{') ? 0 : message.indexOf('\n{') + 1;
  if (start <= 0 && !message.startsWith('{')) return undefined;
  try {
    const record = JSON.parse(message.slice(start).trim()) as TagRecord;
    return record.phasegate === 1 ? record : undefined;
  } catch {
    return undefined;
  }
}

/** What the base tag's message holds: where the migration started, and on which branch it runs. */
export interface BaseRecord {
  summary: string; phasegate: 1; plan: string; phase: 'base'; branch: string | null; taggedAt: string;
  planFile?: string; planText?: string; baselines?: Baselines;
  /** The branch checked out when the migration started: what `sync` rebuilds onto by default. */
  startBranch?: string | null;
}

export interface BaseTagContent { source?: PlanSource; baselines?: Baselines; startBranch?: string | null }

export function baseTagMessage(plan: string, branch: string | null, { source, baselines, startBranch }: BaseTagContent = {}): string {
  const recorded = source ? { planFile: source.file, planText: source.text } : {};
  const record: BaseRecord = {
    summary: `phasegate ${plan}: base`, phasegate: 1, plan, phase: 'base', branch, startBranch: startBranch ?? null,
    taggedAt: new Date().toISOString(), ...recorded, ...(baselines ? { baselines } : {}),
  };
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** The baselines a tag records (base: JUnit failures at the start; a phase: what it was judged against). */
export function recordedBaselines(tag: TagInfo | undefined): Baselines | undefined {
  const record = tag ? (parseTagMessage(tag.message) as { baselines?: Baselines } | undefined) : undefined;
  return record?.baselines;
}

/** The branch the migration started from, as the base tag records it (older tags do not). */
export function recordedStartBranch(base: TagInfo): string | null {
  const record = parseTagMessage(base.message) as unknown as Partial<BaseRecord> | undefined;
  return typeof record?.startBranch === 'string' && record.startBranch ? record.startBranch : null;
}

/** The migration branch the base tag records (null: the run did not say, or the tag is not phasegate's). */
export function recordedBranch(base: TagInfo): string | null {
  const record = parseTagMessage(base.message) as unknown as Partial<BaseRecord> | undefined;
  return typeof record?.branch === 'string' && record.branch ? record.branch : null;
}

/**
 * Why a tag under `phasegate/<plan>/` is not one phasegate made for this plan, or undefined when it
 * is. Only an annotated tag whose message is phasegate's record for this plan and this phase (or
 * base) counts: a hand-made tag under the prefix would otherwise pass for a finished phase.
 */
export function foreignTagReason(tag: TagInfo, plan: string): string | undefined {
  if (!tag.annotated) return 'is a lightweight tag';
  const record = parseTagMessage(tag.message);
  if (!record) return 'does not carry phasegate\'s record in its message';
  if (record.plan !== plan || record.phase !== tag.phase) return `carries the record of ${record.plan}/${record.phase}, not of ${plan}/${tag.phase}`;
  return undefined;
}
