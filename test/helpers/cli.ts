import { execa, type ResultPromise } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { killTree } from './process-tree.js';

/** Run the built CLI (dist/bin.js) as a user would, without a TTY, and return what it did. */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/bin.js');

/**
 * Well below vitest's testTimeout (60 s): a hung CLI is killed here, with its output in the
 * failure, instead of outliving the test that vitest gave up on.
 */
export const CLI_TIMEOUT_MS = 45_000;

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as printed. */
  all: string;
}

const running = new Set<ResultPromise>();

// A test that failed (or timed out) while a CLI ran must not leave it, or the checks it started, behind.
afterEach(() => {
  for (const child of running) killTree(child.pid);
  running.clear();
});

export async function phasegate(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; timeout?: number } ): Promise<CliResult> {
  const timeout = options.timeout ?? CLI_TIMEOUT_MS;
  const child = execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { NO_COLOR: '1', CI: undefined, ...options.env },
    extendEnv: true,
    reject: false,
    all: true,
    stdin: 'ignore',
  });
  running.add(child);
  let timedOut = false;
  // execa's own timeout kills the CLI only; its checks run in process groups of their own.
  const timer = setTimeout(() => { timedOut = true; killTree(child.pid); }, timeout);
  try {
    const result = await child;
    if (timedOut) throw new Error(`phasegate ${args.join(' ')} did not finish within ${timeout / 1000} s; it and its child processes were killed. Output:\n${result.all ?? ''}`);
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, all: result.all ?? '' };
  } finally {
    clearTimeout(timer);
    running.delete(child);
  }
}
