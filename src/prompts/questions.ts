import { confirm, select } from '@inquirer/prompts';
import type { AfterPass, AfterTransform, OnChecksFailed, PlanOverview } from '../engine/decisions.js';
import type { Gate } from '../engine/run/gate.js';
import type { FileChange } from '../git/state.js';
import type { CheckReport, PhaseReport } from '../report/model.js';
import type { PromptContext, Question } from './ask.js';
import { describeChange, describeFailure, describeOverview, describeRollback, plural, type RollbackSummary } from './describe.js';
import { fitMessage } from './fit.js';

/**
 * Every question a guided run asks, declared as data: a prompt kind and a pure function from what
 * the engine knows to the message, the choices and the default. The first choice is the default
 * and always the safe one.
 */
interface Choice<Value> { value: Value; name: string; description?: string; disabled?: boolean | string }
interface SelectSpec<Value> { message: string; choices: Choice<Value>[] }
interface ConfirmSpec { message: string; default: boolean }

function selectQuestion<Props, Value>(spec: (props: Props) => SelectSpec<Value>): Question<Props, Value> {
  return (props: Props, context?: PromptContext) => {
    const { message, choices } = spec(props);
    const pageSize = 10;
    // The choices, their description and inquirer's help line stay on screen below the message.
    const fitted = fitMessage(message, Math.min(choices.length, pageSize) + 4, process.stdout.rows, process.stdout.columns);
    return select<Value>({ message: fitted, choices, default: choices.find((choice) => !choice.disabled)?.value, loop: false, pageSize }, context);
  };
}

function confirmQuestion<Props>(spec: (props: Props) => ConfirmSpec): Question<Props, boolean> {
  return (props: Props, context?: PromptContext) => confirm(spec(props), context);
}

export type StartAnswer = 'branch' | 'current' | 'cancel';

export const startQuestion = selectQuestion(({ overview, branch }: { overview: PlanOverview; branch: string | null }) => {
  const current = overview.currentBranch;
  const here = current ? `the current branch ${current}` : 'the detached HEAD';
  const choices: Choice<StartAnswer>[] = [];
  if (branch !== null && branch !== current) {
    choices.push({
      value: 'branch',
      name: overview.branchExists ? `Start on the migration branch ${branch} (resume there)` : `Start on a new migration branch ${branch}`,
      description: `Phases are committed and tagged on ${branch}; ${current ?? 'the current HEAD'} stays as it is.`,
    });
    choices.push({ value: 'current', name: `Start here, on ${here}`, description: `Phase commits go onto ${current ?? 'the detached HEAD'} directly.` });
  } else {
    choices.push({ value: branch === null ? 'current' : 'branch', name: `Start on ${here}` });
  }
  choices.push({ value: 'cancel', name: "Don't start", description: 'Nothing is changed.' });
  return { message: [...describeOverview(overview, branch), 'Start the migration?'].join('\n'), choices };
});

export const planChangedQuestion = confirmQuestion((changed: { id: string }[]) => {
  const ids = changed.map((phase) => `'${phase.id}'`).join(', ');
  const one = changed.length === 1;
  return {
    message: `Phase ${ids} changed in the plan since ${one ? 'it was' : 'they were'} tagged. ` +
      `${one ? 'Its' : 'Their'} tagged result stays as it is (to run ${one ? 'it' : 'them'} again: --from ${changed[0].id}). Go on with the next phase anyway?`,
    default: false,
  };
});

export type ReviewAnswer = AfterTransform | 'diff';

export const reviewQuestion = selectQuestion(({ phase, files, stepFiles }: { phase: PhaseReport; files: readonly FileChange[]; stepFiles?: readonly (readonly FileChange[])[] }): SelectSpec<ReviewAnswer> => ({
  message: [...describeChange(phase, files, stepFiles), 'What next?'].join('\n'),
  choices: [
    { value: 'checks', name: 'Go on to the checks' },
    { value: 'diff', name: 'Show the full diff', description: 'Paged; you come back here afterwards.', disabled: phase.filesChanged === 0 ? '(no change to show)' : false },
    { value: 'abort', name: 'Abort and roll back this phase', description: 'Back to where the phase started; the run stops.' },
  ],
}));

export type FailedAnswer = OnChecksFailed | 'shell';

/**
 * What the four answers at a failed phase mean where the failure happened: the same choices, worded
 * for a run's repository or for a sync's replay working tree (prompts/sync.ts).
 */
export interface FailureWording {
  /** A line before the question (where the work is). */
  intro?: string;
  choices: Record<FailedAnswer, { name: string; description: string }>;
}

export const runFailureWording: FailureWording = {
  choices: {
    rollback: { name: 'Roll back this phase', description: 'Back to where the phase started; its work stays under refs/phasegate/…/failed/ for inspection.' },
    retry: { name: 'Run the checks again', description: 'After fixing something by hand (in another terminal); your changes are committed with the phase.' },
    keep: { name: 'Keep the changes and stop (no tag)', description: 'The phase commit stays at HEAD untagged; `phasegate run` resumes with this phase.' },
    shell: { name: 'Open a shell in the repository', description: 'Exit the shell to come back to these choices.' },
  },
};

const failedAnswers: FailedAnswer[] = ['rollback', 'retry', 'keep', 'shell'];

export const checksFailedQuestion = selectQuestion(({ phase, checks, gate, wording = runFailureWording }: { phase: PhaseReport; checks: readonly CheckReport[]; gate: Gate; wording?: FailureWording }): SelectSpec<FailedAnswer> => ({
  message: [...describeFailure(phase, checks, gate), ...(wording.intro ? [wording.intro] : []), 'What now?'].join('\n'),
  choices: failedAnswers.map((value) => ({ value, ...wording.choices[value] })),
}));

export const afterPassQuestion = selectQuestion(({ phase, remaining }: { phase: PhaseReport; remaining: number }): SelectSpec<AfterPass> => ({
  message: `Phase '${phase.id}' passed${phase.score !== null && phase.threshold !== null ? ` (score ${phase.score}%)` : ''} and is tagged ${phase.tag}. ` +
    `${plural(remaining, 'phase')} to go.`,
  choices: [
    { value: 'continue', name: 'Go on with the next phase' },
    { value: 'stop', name: 'Stop here', description: 'Resume later: `phasegate run` goes on with the next phase.' },
  ],
}));

export const rollbackQuestion = confirmQuestion((summary: RollbackSummary) => ({
  message: [...describeRollback(summary), summary.phases.length === 0 ? 'Go on?' : 'Undo these phases?'].join('\n'),
  default: false,
}));
