import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

/**
 * The on-disk record of what phasegate is about to do, written before every step that changes the
 * repository. If the process dies (kill -9, power loss), the next run reads it to say what was
 * interrupted and to restore the last checkpoint.
 */
export type JournalStage = 'before-phase' | 'transform' | 'commit' | 'checks' | 'tag' | 'revert' | 'rollback';

export interface RunEntry {
  operation: 'run';
  plan: string;
  branch: string | null;
  phase: string;
  phaseTitle: string;
  stage: JournalStage;
  step?: number;
  stepTitle?: string;
  /** The checkpoint the phase started from: where an interrupted phase is put back. */
  startCommit: string;
  /** The phase's commit, once made. */
  phaseCommit?: string;
  /** Untracked files that were there before the run: a recovery must neither commit nor remove them. */
  protected: string[];
}

export interface RollbackEntry {
  operation: 'rollback';
  plan: string;
  branch: string | null;
  stage: JournalStage;
  target: string;
  targetCommit: string;
  strategy: 'reset' | 'revert';
  /** Where HEAD was before the rollback began. */
  originalHead: string;
  /** Phases to undo, newest first, and how many of their rollback procedures already ran. */
  undo: string[];
  done: number;
  /** The plan file, for the rollback steps when an interrupted rollback is finished later. */
  planFile?: string;
  /** The commit the branch ends at (revert strategy), once known. */
  finalCommit?: string;
  /** Where the user started, when the rollback switched to the migration branch: finished, it goes back. */
  returnTo?: { branch?: string; commit: string };
  protected: string[];
}

/** One ref a sync's publication moves; null for a ref that is created (old) or deleted (new). */
export interface RefMove {
  ref: string;
  old: string | null;
  new: string | null;
}

/**
 * A sync works in a scratch clone (`replay`) and touches the user's repository only when it moves
 * the branch, the tags and the working tree (`publish`). Interrupted, it is either finished (every
 * ref had moved) or undone (branch, tags and working tree as before the sync).
 * In place (`replay-in-place`, engine/sync/in-place.ts), the replay runs in the user's working
 * tree on a detached HEAD: undone, HEAD goes back to the branch at its old tip, the working tree
 * with it, and the replay's own refs go.
 */
export interface SyncEntry {
  operation: 'sync';
  plan: string;
  branch: string;
  stage: 'replay' | 'replay-in-place' | 'publish';
  /** The replay ran in the user's working tree (HEAD detached), not in a scratch clone. */
  inPlace?: boolean;
  /** The scratch clone's folder, removed by a recovery. */
  scratch?: string;
  oldTip: string;
  /** The migration branch is checked out here: the working tree moves with it. */
  checkedOut: boolean;
  newTip?: string;
  /** Every ref the publication moves, with its value before and after. */
  moves?: RefMove[];
  protected: string[];
}

export type JournalEntry = (RunEntry | RollbackEntry | SyncEntry) & { pid: number; startedAt: string; updatedAt: string };

export class Journal {
  private readonly file: string;
  private startedAt = new Date().toISOString();

  constructor(dir: string) {
    this.file = path.join(dir, 'journal.json');
  }

  read(): JournalEntry | undefined {
    if (!existsSync(this.file)) return undefined;
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as JournalEntry;
    } catch {
      return undefined;
    }
  }

  write(entry: RunEntry | RollbackEntry | SyncEntry): void {
    const full: JournalEntry = { ...entry, pid: process.pid, startedAt: this.startedAt, updatedAt: new Date().toISOString() };
    writeFileAtomic(this.file, `${JSON.stringify(full, null, 2)}\n`);
  }

  update(patch: Partial<RunEntry> | Partial<RollbackEntry> | Partial<SyncEntry>): void {
    const current = this.read();
    if (!current) throw new Error('bug: journal update without an entry');
    this.write({ ...current, ...patch } as RunEntry | RollbackEntry | SyncEntry);
  }

  clear(): void {
    rmSync(this.file, { force: true });
    this.startedAt = new Date().toISOString();
  }
}

export function describeInterruption(entry: JournalEntry): string {
  const when = `${entry.updatedAt} (pid ${entry.pid})`;
  if (entry.operation === 'rollback') {
    return `a rollback of plan '${entry.plan}' to '${entry.target}' was interrupted at ${when}`;
  }
  if (entry.operation === 'sync') {
    const moving = entry.stage === 'publish' ? 'while moving the branch and its tags'
      : entry.stage === 'replay-in-place' ? 'while replaying the phases in the working tree' : 'while replaying the phases in a scratch clone';
    return `a sync of plan '${entry.plan}' (branch ${entry.branch}) was interrupted ${moving} at ${when}`;
  }
  const step = entry.stage === 'transform' && entry.step !== undefined
    ? ` at transform step ${entry.step + 1}${entry.stepTitle ? ` (${entry.stepTitle})` : ''}`
    : ` during ${entry.stage}`;
  return `phase '${entry.phase}' of plan '${entry.plan}' was interrupted${step} at ${when}`;
}
