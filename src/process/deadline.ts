import { StepError } from '../errors.js';
import { formatDuration, parseDuration } from '../plan/duration.js';
import { DEFAULT_TIMEOUT } from './command-step.js';
import { startTimer } from './long-timer.js';

/**
 * Every step and check has a `timeout:` (default 10m, as for commands). A step that works in this
 * process (a codemod, a structural check) gets an abort signal that also fires at its deadline;
 * the regex worker (regex/in-worker.ts) reads the same timeout to stop a regex that never ends.
 */
export class DeadlineError extends StepError {
  constructor(readonly ms: number) {
    super(`timed out after ${formatDuration(ms)}`);
  }
}

export function timeoutMs(timeout: string | number | undefined): number {
  return parseDuration(timeout ?? DEFAULT_TIMEOUT);
}

/** `signal` (Ctrl-C) or the deadline, whichever comes first; dispose when the work is done. */
export function withDeadline(signal: AbortSignal, timeout: string | number | undefined): { signal: AbortSignal; ms: number; dispose(): void } {
  const ms = timeoutMs(timeout);
  const deadline = new AbortController();
  const timer = startTimer(ms, () => deadline.abort(new DeadlineError(ms)));
  return { signal: AbortSignal.any([signal, deadline.signal]), ms, dispose: () => timer.clear() };
}

/**
 * The same deadline for work done in a synchronous loop (a rename or delete, file by file), where
 * no timer can fire: `check()` between two items throws at the deadline, or when Ctrl-C came.
 */
export function loopDeadline(signal: AbortSignal, timeout: string | number | undefined): { check(): void } {
  const ms = timeoutMs(timeout);
  const until = performance.now() + ms;
  return {
    check: () => {
      signal.throwIfAborted();
      if (performance.now() > until) throw new DeadlineError(ms);
    },
  };
}
