import type { Task } from '../decisions.js';

/**
 * Live progress on a task ("scanned 1200/20000 files", a command's last line), throttled: the
 * interactive renderer redraws anyway, and in CI logs every update is a printed line.
 */
export function progressReporter(task: Task, interactive: boolean): (text: string) => void {
  const every = interactive ? 200 : 10_000;
  let last = 0;
  return (text) => {
    const now = performance.now();
    if (now - last < every) return;
    last = now;
    task.output = text.length > 200 ? `${text.slice(0, 199)}…` : text;
  };
}
