import { OutputCollector } from './output.js';

/**
 * The one place phasegate starts user commands (`run` steps, checks, hooks, rollback steps).
 *
 * Each command is `/bin/sh -c <command>` given as argv, started in its own process group so that a
 * timeout or Ctrl-C can kill the whole tree: execa kills only the direct child, and a grandchild
 * that holds stdout open would otherwise keep us waiting past the timeout.
 *
 * Being in its own group, a command would outlive a phasegate killed with `kill -9` (the signal
 * reaches phasegate's group only) and keep changing files while the next command recovers. So each
 * group carries a watchdog (see WITH_WATCHDOG) that kills the group when phasegate is gone.
 */
import { RUN_ID, RUN_ID_VARIABLE } from '../state/run-id.js';
import { killGroup } from './kill-group.js';
import { startTimer } from './long-timer.js';

export interface ShellOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each complete output line (stdout and stderr interleaved). */
  onLine?: (line: string) => void;
  /** Where to keep the whole output (memory keeps only a bounded part of it). */
  logFile?: string;
}

export interface ShellResult {
  command: string;
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  /** The last lines of output, for reports. */
  tail: string[];
  /** Output up to a cap, for the guided "show details" view. */
  output: string;
  /** The file holding the whole output, when one was asked for. */
  outputLog?: string;
  ok: boolean;
}

/**
 * The shell script every command runs under, with the command as "$1". Its stdin is a pipe whose
 * other end only phasegate holds; the kernel closes that end when phasegate exits, however it dies
 * (node cannot reach prctl(PR_SET_PDEATHSIG)). A background `read` in the command's group waits for
 * that end of file, then kills the whole group. The watchdog's output goes nowhere, so it never
 * holds our pipes open; the command itself gets /dev/null as stdin, as before, and `exec` keeps
 * the group leader's pid the one we know. When the command ends normally, `runShell` kills what is
 * left of the group, the watchdog with it. (A non-interactive shell gives a background list
 * /dev/null as stdin, hence fd 3.)
 */
const WITH_WATCHDOG = 'exec 3<&0 </dev/null; { read -r _ <&3; kill -9 0; } >/dev/null 2>&1 & exec 3<&-; exec /bin/sh -c "$1"';

export async function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  const { execa } = await import('execa');
  const started = performance.now();
  // Opened first: a log that cannot be opened must not leave a command running unwatched.
  const collected = new OutputCollector(options.onLine, options.logFile);
  const child = execa('/bin/sh', ['-c', WITH_WATCHDOG, 'phasegate-command', command], {
    cwd: options.cwd,
    // The run id lets the next phasegate find this command if it outlives us (see leftovers.ts).
    env: { ...options.env, [RUN_ID_VARIABLE]: RUN_ID },
    extendEnv: true,
    detached: true,
    // Never written to: its end of file tells the watchdog that phasegate is gone.
    stdin: 'pipe',
    all: true,
    buffer: false,
    reject: false,
  });

  child.all?.on('data', (chunk: Buffer | string) => collected.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));

  let timedOut = false;
  let aborted = false;
  const pid = child.pid;
  const timer = options.timeoutMs ? startTimer(options.timeoutMs, () => { timedOut = true; killGroup(pid); }) : undefined;
  const onAbort = () => { aborted = true; killGroup(pid); };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  // The shell is gone; anything left in its group would only hold our pipes open.
  child.once('exit', () => killGroup(pid, 0));

  const result = await child.finally(() => collected.close());
  timer?.clear();
  options.signal?.removeEventListener('abort', onAbort);
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : undefined;
  return {
    command,
    exitCode,
    signal: result.signal ?? undefined,
    timedOut,
    aborted,
    durationMs: Math.round(performance.now() - started),
    tail: collected.tail,
    output: collected.output,
    ...(options.logFile ? { outputLog: options.logFile } : {}),
    ok: exitCode === 0 && !timedOut && !aborted,
  };
}

export function describeFailure(result: ShellResult, timeoutText?: string): string {
  if (result.aborted) return 'interrupted';
  if (result.timedOut) return `timed out after ${timeoutText ?? `${result.durationMs}ms`}`;
  if (result.exitCode !== undefined) return `exited with status ${result.exitCode}`;
  return `killed by ${result.signal ?? 'a signal'}`;
}

/**
 * A program that takes over the terminal (a pager, an interactive shell): it inherits stdin,
 * stdout and stderr and stays in our process group, so the terminal's job control works for it.
 * Resolves with its exit status; a program that cannot start resolves with its error's message.
 */
export async function runAttached(file: string, args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<{ exitCode: number | undefined; error?: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: 'inherit' });
    child.once('error', (error) => resolve({ exitCode: undefined, error: error.message }));
    child.once('exit', (code) => resolve({ exitCode: code ?? undefined }));
  });
}
