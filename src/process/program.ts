import { spawn } from 'node:child_process';
import { OutputCollector } from './output.js';
import { killGroup } from './kill-group.js';

/**
 * A program phasegate itself drives (ast-grep's CLI for a codemod step), given as argv — no shell
 * parses anything. Like a user command (shell.ts) it runs in its own process group under a
 * watchdog that kills the group when phasegate is gone however it dies, and an abort (Ctrl-C, the
 * step's deadline) kills the whole group. Its stdout is handed over chunk by chunk (a program's
 * answer can be large); its stderr is kept in bounded memory for the error message.
 */
export interface ProgramOptions {
  cwd: string;
  signal?: AbortSignal;
  /** Each piece of stdout as it arrives. */
  onStdout(chunk: Buffer): void;
}

export interface ProgramResult {
  exitCode: number | undefined;
  signal: string | undefined;
  aborted: boolean;
  /** The last lines of stderr. */
  stderrTail: string[];
}

/** shell.ts's watchdog, ending in `exec "$@"`: the program replaces the group leader, argv intact. */
const WITH_WATCHDOG = 'exec 3<&0 </dev/null; { read -r _ <&3; kill -9 0; } >/dev/null 2>&1 & exec 3<&-; exec "$@"';

export function runProgram(file: string, args: readonly string[], options: ProgramOptions): Promise<ProgramResult> {
  const stderr = new OutputCollector();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', WITH_WATCHDOG, 'phasegate-program', file, ...args], {
      cwd: options.cwd,
      detached: true,
      // stdin is never written to: its end of file tells the watchdog that phasegate is gone.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let aborted = false;
    const pid = child.pid;
    const onAbort = () => { aborted = true; killGroup(pid); };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    child.stdout.on('data', (chunk: Buffer) => options.onStdout(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.write(chunk));
    child.once('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    // 'close', not 'exit': every byte of stdout has been handed over by then.
    child.once('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      // The program is gone; the watchdog (and anything else left in the group) goes with it.
      killGroup(pid, 0);
      child.stdin.destroy();
      stderr.close();
      resolve({ exitCode: code ?? undefined, signal: signal ?? undefined, aborted, stderrTail: stderr.tail });
    });
  });
}

