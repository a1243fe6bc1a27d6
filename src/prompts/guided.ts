import type { AfterTransform, BranchChoice, Decisions, OnChecksFailed } from '../engine/decisions.js';
import { InterruptedError } from '../errors.js';
import { GitClient } from '../git/client.js';
import { diffFiles, type FileChange } from '../git/state.js';
import type { PhaseReport } from '../report/model.js';
import { ask, type Asking } from './ask.js';
import { afterPassQuestion, checksFailedQuestion, planChangedQuestion, reviewQuestion, startQuestion, type FailureWording } from './questions.js';
import { openShell, showDiff } from './terminal.js';

/**
 * The guided run's answers at every gate (SPEC "Guided"). The engine calls these where an
 * unattended run answers without asking; a loop asks again after showing the diff or a shell.
 */
export interface GuidedOptions extends Asking {
  /** Tests replace the programs that take over the terminal. */
  showDiff?: typeof showDiff;
  openShell?: typeof openShell;
  /** How the choices at a failed phase read, given where the phase ran (a sync's replay working tree). */
  failureWording?: (root: string) => FailureWording;
}

export function guidedDecisions(options: GuidedOptions): Decisions {
  const terminal = { showDiff: options.showDiff ?? showDiff, openShell: options.openShell ?? openShell };
  // Ctrl-C in a pager reaches us as SIGINT too: once the program is gone, the run ends there.
  const throwIfInterrupted = () => {
    if (options.signal.aborted) throw new InterruptedError('interrupted; the last checkpoint is being restored');
  };
  return {
    guided: true,

    async start(overview, branch): Promise<BranchChoice | undefined> {
      // Nothing would run (every phase is tagged): no reason to ask; the engine says so.
      if (!overview.phases.some((phase) => phase.willRun)) return branch ? { branch } : { current: true };
      const answer = await ask(startQuestion, { overview, branch }, options);
      if (answer === 'cancel') return undefined;
      return answer === 'branch' && branch ? { branch } : { current: true };
    },

    planChanged: (changed) => ask(planChangedQuestion, changed, options),

    async afterTransform(task, phase, root): Promise<AfterTransform> {
      const [files, stepFiles] = await Promise.all([changedFiles(root, phase), changesPerStep(root, phase)]);
      for (;;) {
        const answer = await ask(reviewQuestion, { phase, files, stepFiles }, options, task);
        if (answer === 'diff') {
          await terminal.showDiff(task, root, phase);
          throwIfInterrupted();
          continue;
        }
        task.title = `review the change — ${answer === 'checks' ? 'accepted' : 'aborted'}`;
        return answer;
      }
    },

    async onChecksFailed(task, phase, checks, gate, root): Promise<OnChecksFailed> {
      for (;;) {
        const answer = await ask(checksFailedQuestion, { phase, checks, gate, wording: options.failureWording?.(root) }, options, task);
        if (answer === 'shell') {
          await terminal.openShell(task, root, phase);
          throwIfInterrupted();
          continue;
        }
        task.title = `${task.title} — ${{ rollback: 'rolling back', retry: 'running the checks again', keep: 'kept without a tag' }[answer]}`;
        return answer;
      }
    },

    afterPass: (task, phase, remaining) => ask(afterPassQuestion, { phase, remaining }, options, task),
  };
}

async function changedFiles(root: string, phase: PhaseReport): Promise<FileChange[]> {
  if (!phase.startCommit || !phase.commit || phase.filesChanged === 0) return [];
  return diffFiles(new GitClient(root), phase.startCommit, phase.commit);
}

/** Each step's own change: its working-tree snapshot against the one before it (the phase start for the first). */
async function changesPerStep(root: string, phase: PhaseReport): Promise<FileChange[][] | undefined> {
  if (!phase.startCommit || phase.steps.length === 0 || phase.steps.some((step) => !step.tree)) return undefined;
  const git = new GitClient(root);
  const bases = [phase.startCommit, ...phase.steps.map((step) => step.tree!)];
  return Promise.all(phase.steps.map((step, index) => (bases[index] === step.tree ? [] : diffFiles(git, bases[index], step.tree!))));
}

