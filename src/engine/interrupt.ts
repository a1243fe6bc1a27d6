import { InterruptedError } from '../errors.js';

/**
 * Ctrl-C and SIGTERM abort the running step (its process tree is killed) and let the engine restore
 * the last checkpoint. Further signals while restoring are acknowledged but do not cut it short:
 * a half-restored repository is the one outcome worse than waiting a second.
 *
 * `interrupt` is the same thing without a signal: at a prompt the terminal is in raw mode, so
 * Ctrl-C arrives as a keypress (inquirer's ExitPromptError), not as SIGINT.
 */
export interface Interrupt {
  signal: AbortSignal;
  interrupt(reason: string): void;
  dispose(): void;
}

export function interruptOnSignals(notice: (text: string) => void, stopping = 'stopping the running step and restoring the last checkpoint', waiting = 'still restoring the last checkpoint; please wait'): Interrupt {
  const controller = new AbortController();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const interrupt = (reason: string) => {
    if (controller.signal.aborted) return;
    notice(`\n${reason}: ${stopping}…`);
    controller.abort(new InterruptedError());
  };
  const handler = (name: NodeJS.Signals) => {
    if (!controller.signal.aborted) interrupt(name);
    else notice(waiting);
  };
  for (const name of signals) process.on(name, handler);
  return {
    signal: controller.signal,
    interrupt,
    dispose: () => { for (const name of signals) process.off(name, handler); },
  };
}
