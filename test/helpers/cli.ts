import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Run the built CLI (dist/bin.js) as a user would, without a TTY, and return what it did. */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/bin.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as printed. */
  all: string;
}

export async function phasegate(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; timeout?: number } ): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { NO_COLOR: '1', CI: undefined, ...options.env },
    extendEnv: true,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: options.timeout ?? 120_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, all: result.all ?? '' };
}
