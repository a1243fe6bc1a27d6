import { color, ListrTaskEventType, ListrTaskState, type ListrRenderer, type ListrTaskObject } from 'listr2';
import { formatDuration } from '../../plan/duration.js';

/**
 * Plain line output for CI logs and pipes: one line when a phase starts, one when each task ends
 * (✔ ✖ ↩ ·), indented by depth, failures with their details. listr2's simple renderer also logs
 * every start and sends failures to stderr, which scrambles the order in a CI log.
 */
type AnyTask = ListrTaskObject<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class LineRenderer implements ListrRenderer {
  static nonTTY = true;
  static rendererOptions = {};
  static rendererTaskOptions = {};

  /** Errors bubble up through every parent task; their text is printed once, where it arose. */
  private readonly printedErrors = new Set<string>();

  constructor(private readonly tasks: AnyTask[]) {}

  render(): void {
    this.watch(this.tasks, 0);
  }

  end(): void {}

  private watch(tasks: AnyTask[], depth: number): void {
    const indent = '  '.repeat(depth);
    for (const task of tasks) {
      let started = 0;
      task.on(ListrTaskEventType.SUBTASK, (subtasks: AnyTask[]) => this.watch(subtasks, depth + 1));
      task.on(ListrTaskEventType.STATE, (state: ListrTaskState) => {
        if (!task.hasTitle()) return;
        if (state === ListrTaskState.STARTED) {
          started = Date.now();
          if (depth === 0) print(`${indent}${color.cyan('▶')} ${task.title}`);
        } else if (state === ListrTaskState.COMPLETED) {
          print(`${indent}${color.green('✔')} ${task.title} ${color.dim(`(${formatDuration(Date.now() - started)})`)}`);
        }
      });
      task.on(ListrTaskEventType.OUTPUT, (output: string) => print(`${indent}  ${color.dim(`› ${output}`)}`));
      task.on(ListrTaskEventType.MESSAGE, (message: { error?: string; skip?: string; rollback?: string }) => {
        if (message.error) {
          // An untitled task (a phase's preparation: hooks, baseline counts) has no line of its
          // own; its error is printed once, by the phase it belongs to.
          if (!task.hasTitle()) return;
          const [first, ...rest] = this.printedErrors.has(message.error) ? [] : message.error.split('\n');
          this.printedErrors.add(message.error);
          print(`${indent}${color.red('✖')} ${task.title}${first && !task.title?.includes(first) ? ` — ${first}` : ''}`);
          for (const line of rest) print(`${indent}    ${line}`);
        } else if (message.skip && message.skip !== task.title) print(`${indent}${color.yellow('·')} ${message.skip}`);
        else if (message.rollback) print(`${indent}${color.yellow('↩')} ${task.title}`);
      });
    }
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
