import type { CheckDetails } from '../checks/types.js';

/** What happened in a run, as written to `--report` JSON and summarised in Markdown and JUnit. */
export type PhaseStatus = 'passed' | 'failed' | 'skipped' | 'rolled-back';
export type RunResult = 'passed' | 'failed' | 'stopped' | 'interrupted' | 'refused' | 'error';

export interface StepReport {
  index: number;
  kind: string;
  name: string;
  durationMs: number;
  filesChanged: number;
  changedFiles: string[];
  /** The step was asked to change something and changed nothing. */
  changedNothing: boolean;
  notes: string[];
  error?: string;
  outputTail?: string[];
  /** A `run` step's whole output (`.git/phasegate/logs/…`). */
  outputLog?: string;
  /** Guided runs: the working tree after this step, so the review shows each step's own change. */
  tree?: string;
}

export interface CheckReport {
  index: number;
  name: string;
  kind: string;
  passed: boolean;
  required: boolean;
  weight: number;
  durationMs: number;
  summary: string;
  details: CheckDetails & { after?: number };
}

export interface PhaseReport {
  id: string;
  title: string;
  status: PhaseStatus;
  /** Set when the phase was already tagged before this run started. */
  earlierRun?: boolean;
  reason?: string;
  tag?: string;
  commit?: string;
  startCommit?: string;
  hash: string;
  filesChanged: number;
  changedFiles: string[];
  /**
   * Lines added and removed, counted only when a person will read them (a guided run, `--summary`,
   * `--pr-body`) or read from an earlier run's tag that has them. Absent means not counted, never 0.
   */
  insertions?: number;
  deletions?: number;
  steps: StepReport[];
  checks: CheckReport[];
  score: number | null;
  threshold: number | null;
  durations: { transformMs: number; checksMs: number; totalMs: number };
  rollback?: { durationMs: number; failedRef?: string; steps: { command: string; ok: boolean; detail: string }[] };
  failedRef?: string;
  startedAt?: string;
  endedAt?: string;
}

/** The `preflight:` checks, run before anything changed (also in the report of a refused run). */
export interface PreflightReport {
  passed: boolean;
  durationMs: number;
  checks: { name: string; kind: string; command?: string; passed: boolean; durationMs: number; summary: string; outputTail: string[] }[];
}

export interface RunReport {
  tool: { name: 'phasegate'; version: string };
  /** The plan's name (as in its tags); its title and file alongside. */
  plan: string;
  planTitle: string;
  planFile: string;
  /** A hash of the plan as parsed: reports with different hashes ran different versions of the plan. */
  planHash?: string;
  /** This run made at least one phase tag; false when every requested phase was tagged before. */
  changed?: boolean;
  repository: string;
  branch: string | null;
  dryRun: boolean;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  result: RunResult;
  exitCode: number;
  message?: string;
  baseTag?: string;
  diff?: string;
  preflight?: PreflightReport;
  phases: PhaseReport[];
  /** What went wrong beside the result (a hook that failed, work kept aside); absent when nothing did. */
  warnings?: string[];
}
