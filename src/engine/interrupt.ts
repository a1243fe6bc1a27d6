import { InterruptedError } from '../errors.js';

/**
 * Ctrl-C and SIGTERM abort the running step (its process tree is killed) and let the engine restore
 * the last checkpoint. Further signals while restoring are acknowledged but do not cut it short:
 * a half-restored repository is the one outcome worse than waiting a second.
 */
export function interruptOnSignals(notice: (text: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handler = (name: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      notice(`\n${name}: stopping the running step and restoring the last checkpoint…`);
      controller.abort(new InterruptedError());
    } else {
      notice('still restoring the last checkpoint; please wait');
    }
  };
  for (const name of signals) process.on(name, handler);
  return {
    signal: controller.signal,
    dispose: () => { for (const name of signals) process.off(name, handler); },
  };
}
