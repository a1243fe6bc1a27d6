import { Listr, PRESET_TIMER, type ListrTask } from 'listr2';
import { LineRenderer } from './line-renderer.js';

/**
 * The task list's look. listr2 picks its renderer from stdout alone and ignores CI, so the choice
 * is made here: the live renderer only on an interactive terminal, plain lines otherwise.
 */
export function createTaskList(tasks: ListrTask[], interactive: boolean): Listr {
  return new Listr(tasks, {
    concurrent: false,
    exitOnError: true,
    registerSignalListeners: false,
    renderer: 'default',
    fallbackRenderer: LineRenderer,
    fallbackRendererCondition: !interactive,
    rendererOptions: { collapseSubtasks: false, collapseErrors: false, showErrorMessage: true, timer: PRESET_TIMER, formatOutput: 'wrap', outputBar: 3 },
  });
}

/** Live rendering only where a person is watching a terminal. */
export function isInteractiveOutput(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.CI;
}
