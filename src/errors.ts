/**
 * Errors are values with exit codes. Domain code throws these with the message a user should read;
 * only `main` prints them and exits. Anything else that escapes is a bug and shows its stack.
 */
export const ExitCode = {
  ok: 0,
  phaseFailed: 1,
  refused: 2,
  unrecoverable: 3,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class PhasegateError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Refused before anything changed: bad usage, bad plan, dirty tree, lock held, preflight failed. */
export class RefusedError extends PhasegateError {
  constructor(message: string) {
    super(message, ExitCode.refused);
  }
}

/** One or more problems in a plan file, each already formatted as `file:line:col: path: message`. */
export class PlanError extends RefusedError {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** A phase failed and the repository was put back at the last checkpoint. */
export class PhaseFailedError extends PhasegateError {
  constructor(message: string) {
    super(message, ExitCode.phaseFailed);
  }
}

/** The repository could not be restored automatically; the message says what to do by hand. */
export class UnrecoverableError extends PhasegateError {
  constructor(message: string) {
    super(message, ExitCode.unrecoverable);
  }
}

/** The user interrupted (Ctrl-C / SIGTERM); the last checkpoint was restored. */
export class InterruptedError extends PhasegateError {
  constructor(message = 'interrupted') {
    super(message, ExitCode.interrupted);
  }
}

/**
 * A git command phasegate ran did not succeed; the message is git's own reason and, for the user's
 * set-ups that cause it (signing, another worktree, a held lock), what to do. Where one escapes,
 * phasegate has changed nothing or has put back what it changed, so it is a refusal (exit 2), not
 * a bug. `git/client.ts` builds it.
 */
export class GitCommandError extends PhasegateError {
  constructor(message: string, readonly args: readonly string[], readonly stderr: string) {
    super(message, ExitCode.refused);
  }
}

/** A failure inside a step or check that the engine turns into a failed phase. */
export class StepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
