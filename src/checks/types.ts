import type { GitClient } from '../git/client.js';
import type { Globs } from '../plan/schema.js';
import type { PhaseFiles } from '../scope/files.js';
import type { Match, MatchScan } from '../scope/match.js';

export type { Match };

export interface CheckContext {
  root: string;
  git: GitClient;
  files: PhaseFiles;
  defaultFiles: Globs | undefined;
  signal: AbortSignal;
  env: Record<string, string>;
  progress(text: string): void;
  /** Regex checks of the same round, scanned in one pass (see MatchBatch). */
  batch?: MatchSource;
  /** Where a command's whole output goes (`.git/phasegate/logs/…`). */
  outputLog?: string;
}

/** What a check asks a batch (MatchBatch): its matches, or undefined when the batch does not hold it. */
export interface MatchSource {
  matches(check: object, context: CheckContext): Promise<MatchScan> | undefined;
}

export interface CheckDetails {
  /** forbid/require/count: matching lines (capped) and their number. */
  matches?: Match[];
  matchCount?: number;
  /** forbid/require/count: the count before the phase's transform. */
  before?: number;
  /** run: how the command ended and what it printed last. */
  command?: string;
  exitCode?: number;
  timedOut?: boolean;
  outputTail?: string[];
  output?: string;
  /** run: where the command's whole output is (`.git/phasegate/logs/…`). */
  outputLog?: string;
  /** forbid/require/count: files not read as UTF-8 text (Latin-1, binary skipped). */
  notes?: string[];
  /** run with `junit:`: the failures against the baseline (see engine/baselines/judge.ts). */
  junit?: { failingBefore: number; failingNow: number; newFailures: string[]; missing: string[] };
}

export interface CheckOutcome {
  passed: boolean;
  /** One line for the task list and reports: "3 matches", "exited with status 1". */
  summary: string;
  details: CheckDetails;
}

export interface CheckKind<Check> {
  describe(check: Check): string;
  run(check: Check, context: CheckContext): Promise<CheckOutcome>;
  /**
   * Matching lines now, and the files not read as text, for the "before the transform" figures
   * (forbid/require/count only). A phase without transform steps gives the scan back to `run`
   * through `context.batch` rather than scanning the same files twice (engine/run/phase-run.ts).
   */
  scan?(check: Check, context: CheckContext): Promise<MatchScan>;
}
