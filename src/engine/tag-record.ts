import type { TagInfo } from '../git/tags.js';
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
}

export function tagMessage(plan: string, phase: PhaseReport, commit: string): string {
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

/** What the base tag's message holds: where the migration started, and on which branch it runs. */
export interface BaseRecord {
  summary: string; phasegate: 1; plan: string; phase: 'base'; branch: string | null; taggedAt: string;
  /** The branch checked out when the migration started: what `sync` rebuilds onto by default. */
  startBranch?: string | null;
}

export function baseTagMessage(plan: string, branch: string | null, startBranch?: string | null): string {
  const record: BaseRecord = { summary: `phasegate ${plan}: base`, phasegate: 1, plan, phase: 'base', branch, startBranch: startBranch ?? null, taggedAt: new Date().toISOString() };
  return `${JSON.stringify(record, null, 2)}\n`;
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
