import type { GitClient } from '../git/client.js';
import type { Globs } from '../plan/schema.js';
import type { PhaseFiles } from '../scope/files.js';

/** What every transform step kind gets to work with. */
export interface StepContext {
  root: string;
  git: GitClient;
  files: PhaseFiles;
  /** The plan's default `files`, used when a step has none of its own. */
  defaultFiles: Globs | undefined;
  /** Paths that must never be staged (an untracked plan file). */
  neverStage: string[];
  signal: AbortSignal;
  /** PHASEGATE_* variables for commands. */
  env: Record<string, string>;
  /** Live progress for the task list ("scanned 1200/20000 files"). */
  progress(text: string): void;
  /** Where a command's whole output goes (`.git/phasegate/logs/…`). */
  outputLog?: string;
  /** Told each file a step has written, as it goes, when the phase stages them meanwhile (git/streamed-staging.ts). */
  written?(files: readonly string[]): void;
}

export interface StepResult {
  /** Repository-relative paths the step changed (after the step: a rename reports its target). */
  changed: string[];
  /** Something a user should know: files skipped as binary, a missing source ignored… */
  notes: string[];
  /** The last lines a command printed. */
  outputTail?: string[];
  /** The file holding all it printed. */
  outputLog?: string;
}

export interface TransformKind<Step> {
  /** A short default title for the task list and reports. */
  describe(step: Step): string;
  apply(step: Step, context: StepContext): Promise<StepResult>;
}

export function scopeOf(step: { files?: Globs }, context: StepContext): string[] {
  return context.files.select(step.files ?? context.defaultFiles);
}

export function shorten(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
