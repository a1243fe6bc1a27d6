import { ListrInquirerPromptAdapter } from '@listr2/prompt-adapter-inquirer';
import type { Task } from '../engine/decisions.js';
import { InterruptedError } from '../errors.js';
import { discardTypeAhead } from './type-ahead.js';

/**
 * Every guided question goes through `ask`. Inside the running task list it goes through listr2's
 * prompt adapter, so the list renders the prompt instead of being overwritten by it; before the
 * list starts it talks to the terminal directly.
 *
 * Ctrl-C at a prompt is not a SIGINT: the terminal is in raw mode and inquirer rejects with
 * ExitPromptError. Left alone that would end the run as an ordinary failure (exit 1) or, outside a
 * task, with exit 0. Here it becomes the same interruption as Ctrl-C during a step: the run's
 * abort signal fires, the phase's rollback restores the checkpoint, exit 130.
 */
export interface PromptContext {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  signal?: AbortSignal;
  clearPromptOnDone?: boolean;
}

/** A question is an inquirer prompt over what the engine knows (so it can be tested with @inquirer/testing). */
export type Question<Props, Answer> = (props: Props, context?: PromptContext) => Promise<Answer> & { cancel(): void };

export interface Asking {
  /** The run's abort signal: an interruption from elsewhere (SIGTERM) closes an open prompt. */
  signal: AbortSignal;
  /** Turns a prompt closed by the user into the run's interruption. */
  interrupt(reason: string): void;
  /** Tests only: where prompts read and write instead of the terminal or the task list. */
  context?: PromptContext;
}

export async function ask<Props, Answer>(question: Question<Props, Answer>, props: Props, asking: Asking, task?: Task): Promise<Answer> {
  asking.signal.throwIfAborted();
  // Tests that give the prompt its own input have no terminal buffer to empty.
  if (!asking.context?.input) await discardTypeAhead();
  const context: PromptContext = { ...asking.context, signal: asking.signal };
  try {
    if (task && !asking.context) return (await task.prompt(ListrInquirerPromptAdapter).run(question, props, context)) as Answer;
    return await question(props, context);
  } catch (error) {
    if (!isPromptClosed(error)) throw error;
    asking.interrupt('Ctrl-C');
    throw new InterruptedError('interrupted at a prompt');
  }
}

/** Ctrl-C (ExitPromptError) or the run's abort signal (AbortPromptError) ended the prompt. */
export function isPromptClosed(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError';
}
