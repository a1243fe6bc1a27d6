import type { TagInfo } from './tags.js';

/**
 * The message of a phasegate tag: a readable summary line (what `git tag -n1` and `git log
 * --decorate` users see), a blank line, then the record as one JSON document. A phase's record
 * carries the hash of the phase definition so that a resumed run can tell a phase was edited; the
 * base's record carries the branches the migration runs on. This file is the contract of that
 * format and its only reader (`parseTagMessage`, never a regular expression over the JSON); it
 * reads the older messages too (JSON only, or a title line then JSON). What goes into a record is
 * the engine's (engine/tag-record.ts).
 */

/** The baselines a tag records (base: JUnit failures at the start; a phase: what it was judged against). */
export interface JUnitBaseline {
  /** The JUnit file, relative to the repository root, and the command that wrote it. */
  file: string;
  command: string;
  /** Test ids at base: all of them, and those failing. */
  tests: string[];
  failing: string[];
}

export interface Baselines {
  /** `run` checks with `junit:`: the tests at base. */
  junit?: Record<string, JUnitBaseline>;
  /** `count` checks with `ratchet: true`: the count when the phase was tagged. */
  counts?: Record<string, number>;
}

/** The plan file a run used, as recorded in its tags. */
export interface PlanSource { file: string; text: string }

/** A phase tag's record. */
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
  /**
   * Lines added and removed: only when the run counted them before the tag (a guided run); the
   * records of earlier versions always have them.
   */
  insertions?: number;
  deletions?: number;
  durations: { transformMs: number; checksMs: number; totalMs: number };
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
  /**
   * Set when the commit is exactly what the phase's steps made (no before-phase hook ran, no fix by
   * hand was folded in): the tools that made it, so that `sync` may take its result for files whose
   * content is unchanged (engine/run/recorded-results.ts).
   */
  replayable?: string;
}

/** What the base tag's message holds: where the migration started, and on which branch it runs. */
export interface BaseRecord {
  summary: string; phasegate: 1; plan: string; phase: 'base'; branch: string | null; taggedAt: string;
  planFile?: string; planText?: string; baselines?: Baselines;
  /** The branch checked out when the migration started: what `sync` rebuilds onto by default. */
  startBranch?: string | null;
}

/** A phase tag's message: the summary line, a blank line, the record. */
export function formatTagRecord(record: TagRecord): string {
  return `${record.summary}\n\n${JSON.stringify(record, null, 2)}\n`;
}

/** The base tag's message: the record alone. */
export function formatBaseRecord(record: BaseRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** The record a tag's message holds, or undefined when it holds none (a tag not made by phasegate). */
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

/** The base tag's record: the same reader, the base's fields. */
function baseRecord(base: TagInfo): Partial<BaseRecord> | undefined {
  return parseTagMessage(base.message) as Partial<BaseRecord> | undefined;
}

/** The baselines a tag records (base: JUnit failures at the start; a phase: what it was judged against). */
export function recordedBaselines(tag: TagInfo | undefined): Baselines | undefined {
  return tag ? parseTagMessage(tag.message)?.baselines : undefined;
}

/** The plan text a tag recorded, when it recorded one (tags of earlier versions did not). */
export function recordedSource(tag: TagInfo): PlanSource | undefined {
  const record = parseTagMessage(tag.message);
  return record?.planText !== undefined && record.planFile !== undefined ? { file: record.planFile, text: record.planText } : undefined;
}

/** The branch the migration started from, as the base tag records it (older tags do not). */
export function recordedStartBranch(base: TagInfo): string | null {
  const record = baseRecord(base);
  return typeof record?.startBranch === 'string' && record.startBranch ? record.startBranch : null;
}

/** The migration branch the base tag records (null: the run did not say, or the tag is not phasegate's). */
export function recordedBranch(base: TagInfo): string | null {
  const record = baseRecord(base);
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
