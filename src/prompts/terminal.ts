import type { Task } from '../engine/decisions.js';
import { runAttached } from '../process/shell.js';
import type { PhaseReport } from '../report/model.js';

/**
 * Handing the terminal to a pager or a shell while the task list is on screen. listr2's live
 * renderer redraws every 100 ms and captures our own stdout writes; a program that owns the
 * terminal would be scribbled over. So the renderer is paused first: its current frame is left on
 * screen as it is (nothing it printed is overwritten), and after the program exits a new frame is
 * drawn below. listr2 has no public pause, hence the duck-typed reach into its renderer (9.0.x).
 */
interface LiveRenderer {
  update(): void;
  spinner: { start(callback: () => void): void; stop(): void };
  updater: { done(): void };
  logger: { process: { hijack(): void; release(): void } };
}

/** The root list's renderer: a task's list → its parent task's list → … → the root. */
interface ListrNode { parentTask?: { listr: ListrNode }; renderer?: Partial<LiveRenderer> }

function liveRenderer(task: Task | undefined): LiveRenderer | undefined {
  let listr = (task as { task?: { listr?: ListrNode } } | undefined)?.task?.listr;
  while (listr?.parentTask) listr = listr.parentTask.listr;
  const renderer = listr?.renderer;
  const live = typeof renderer?.update === 'function' && renderer.spinner && renderer.updater && renderer.logger?.process;
  return live ? (renderer as LiveRenderer) : undefined;
}

export async function withTerminal<T>(task: Task | undefined, use: () => Promise<T>): Promise<T> {
  const renderer = liveRenderer(task);
  if (!renderer) return use();
  renderer.update();
  renderer.spinner.stop();
  renderer.updater.done();
  const update = renderer.update;
  renderer.update = () => {};
  renderer.logger.process.release();
  try {
    return await use();
  } finally {
    renderer.logger.process.hijack();
    renderer.update = update;
    renderer.spinner.start(() => renderer.update());
    renderer.update();
  }
}

/** The phase's whole change, coloured, through git's pager (core.pager, GIT_PAGER, PAGER or less). */
export async function showDiff(task: Task | undefined, root: string, phase: PhaseReport): Promise<void> {
  if (!phase.startCommit || !phase.commit) return;
  const color = process.env.NO_COLOR ? 'never' : 'always';
  await withTerminal(task, async () => {
    process.stdout.write('\n');
    // core.quotePath=false: file names as people wrote them (ü, файл), not git's octal escapes.
    const result = await runAttached('git', ['-c', 'core.quotePath=false', '--paginate', 'diff', `--color=${color}`, '--stat', '--patch', '--find-renames', phase.startCommit!, phase.commit!], { cwd: root });
    if (result.error) process.stdout.write(`phasegate: could not show the diff: ${result.error}\n`);
  });
}

/** An interactive shell in the repository root; the choices come back when it exits. */
export async function openShell(task: Task | undefined, root: string, phase: PhaseReport): Promise<void> {
  const shell = process.env.SHELL || '/bin/sh';
  await withTerminal(task, async () => {
    process.stdout.write(`\nphasegate: opening ${shell} in ${root} for phase '${phase.id}'.\n` +
      `  Fix what the checks found; leave the changes uncommitted or commit them — "Run the checks again" adds them to the phase.\n` +
      `  Type 'exit' to come back to the choices.\n\n`);
    let result = await runAttached(shell, [], { cwd: root, env: { PHASEGATE_PHASE: phase.id } });
    if (result.error && shell !== '/bin/sh') result = await runAttached('/bin/sh', [], { cwd: root, env: { PHASEGATE_PHASE: phase.id } });
    process.stdout.write(result.error ? `phasegate: could not start a shell: ${result.error}\n` : `\nphasegate: back from the shell.\n`);
  });
}
