import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './repo.js';

/**
 * Which git commands the CLI ran: a `git` script first on PATH that writes its arguments to a log
 * file, one call a line, and then runs the real git with them (nothing is mocked: git still does
 * the work). With `failOn`, a call whose arguments include that word fails instead (exit 128, as
 * a broken git would), to prove that what depends on it cannot fail the run.
 */
export interface GitCalls {
  /** Environment for `phasegate(…, { env })`. */
  env: Record<string, string>;
  /** One entry per git call, its arguments joined by spaces. */
  calls(): string[];
}

export function recordGitCalls({ failOn }: { failOn?: string } = {}): GitCalls {
  const dir = tempDir('phasegate-git-calls-');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const log = path.join(dir, 'calls.log');
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const fail = failOn ? `case " $* " in *${quote(` ${failOn} `)}*) echo "git: refused by the test: ${failOn}" >&2; exit 128;; esac\n` : '';
  writeFileSync(path.join(dir, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> ${quote(log)}\n${fail}exec ${quote(realGit)} "$@"\n`);
  chmodSync(path.join(dir, 'git'), 0o755);
  return {
    env: { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}
