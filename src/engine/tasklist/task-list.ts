import { color, DefaultRenderer, Listr, PRESET_TIMER, Spinner, type ListrDefaultRendererTask, type ListrTask } from 'listr2';
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
    renderer: ListRenderer,
    fallbackRenderer: LineRenderer,
    fallbackRendererCondition: !interactive,
    rendererOptions: { spinner: new CalmSpinner(), collapseSubtasks: true, collapseErrors: false, showErrorMessage: true, timer: PRESET_TIMER, formatOutput: 'truncate', outputBar: 3 },
  });
}

/**
 * listr2 redraws the whole tree on every spinner tick, measuring every line's width; at its 100 ms
 * tick the live view cost more CPU than the migration itself (17 s against 3.5 s for the SSOT demo
 * plan). Four redraws a second still look alive. Finished phases collapse for the same reason.
 */
class CalmSpinner extends Spinner {
  override start(callback?: () => void): void {
    super.start(callback, 250);
  }
}

/**
 * A task whose prompt waits for the person is not working: it shows a still "?" where listr2
 * would keep its spinner turning (under "passed and is tagged", beside "review the change").
 */
class ListRenderer extends DefaultRenderer {
  protected override style(task: ListrDefaultRendererTask, output = false): string {
    if (task.isPrompt()) return color.cyan('?');
    return super.style(task, output);
  }
}
