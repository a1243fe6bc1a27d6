import type { ListrTaskWrapper } from 'listr2';
import type { CheckReport, PhaseReport } from '../report/model.js';
import type { Gate } from './run/gate.js';

/**
 * The gates where a guided run asks the user. An unattended run answers every one the safe way
 * without waiting: start, run the checks, roll back a failed phase, go on after a pass.
 * The guided answers live in src/prompts/.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Task = ListrTaskWrapper<any, any, any>;

export interface PlanOverview {
  plan: string;
  title: string;
  branch: string | null;
  branchExists: boolean;
  currentBranch: string | null;
  phases: {
    id: string; title: string; steps: number; checks: number; tagged: boolean; willRun: boolean;
    /** What the guided start screen lists under each phase. */
    stepNames: string[]; checkNames: string[];
  }[];
}

export type BranchChoice = { branch: string } | { current: true };
export type AfterTransform = 'checks' | 'abort';
export type OnChecksFailed = 'rollback' | 'retry' | 'keep';
export type AfterPass = 'continue' | 'stop';

export interface Decisions {
  readonly guided: boolean;
  /** Before anything changes: go ahead, and on which branch. `undefined` means the user declined. */
  start(overview: PlanOverview, proposedBranch: string | null): Promise<BranchChoice | undefined>;
  /** Completed phases whose definition changed since they were tagged: go on anyway? */
  planChanged(changed: { id: string }[]): Promise<boolean>;
  afterTransform(task: Task, phase: PhaseReport, root: string): Promise<AfterTransform>;
  onChecksFailed(task: Task, phase: PhaseReport, checks: CheckReport[], gate: Gate, root: string): Promise<OnChecksFailed>;
  afterPass(task: Task, phase: PhaseReport, remaining: number): Promise<AfterPass>;
}

export const unattended: Decisions = {
  guided: false,
  start: async (_overview, proposedBranch) => (proposedBranch ? { branch: proposedBranch } : { current: true }),
  planChanged: async () => false,
  afterTransform: async () => 'checks',
  onChecksFailed: async () => 'rollback',
  afterPass: async () => 'continue',
};
