import { spawn } from 'node:child_process';

/**
 * The one way phasegate talks to git. Arguments are always argv (never a shell string), so plan
 * names, titles and messages with quotes or parentheses pass through untouched.
 *
 * git is started directly: a wrapper library cost ~150 ms to import (a third of `status`) and a few
 * milliseconds per command, and a run makes dozens of them. Its one useful guard is kept: ambient
 * GIT_* variables (and editor, pager and prefix settings) are not inherited, so a phasegate started
 * from a git hook or an IDE acts on the repository it was pointed at, never on an inherited
 * GIT_DIR or GIT_INDEX_FILE, and never opens an editor or a pager.
 */
export class GitCommandError extends Error {
  constructor(readonly args: readonly string[], readonly stderr: string) {
    super(`git ${args.map(shortArgument).join(' ')}: ${stderr.trim().split('\n').slice(-3).join(' ')}${hintFor(stderr)}`);
    this.name = 'GitCommandError';
  }
}

/** A commit message or a tag's JSON would bury the one line that says what went wrong. */
function shortArgument(arg: string): string {
  const firstLine = arg.split('\n')[0];
  return firstLine.length > 60 || firstLine !== arg ? `'${firstLine.slice(0, 40)}…'` : arg;
}

/** What to do about failures that come from the user's git configuration, not from phasegate. */
function hintFor(stderr: string): string {
  if (/failed to sign|cannot run gpg|ssh-keygen.*sign/i.test(stderr)) {
    return ' — git is configured to sign commits or tags (commit.gpgsign / tag.gpgsign) and cannot sign here without help: make signing work non-interactively, or turn it off for this repository (git config commit.gpgsign false)';
  }
  return '';
}

const UNSAFE_ENV = new Set(['editor', 'visual', 'pager', 'prefix', 'ssh_askpass']);
let cleanEnv: NodeJS.ProcessEnv | undefined;

function gitEnv(): NodeJS.ProcessEnv {
  if (cleanEnv) return cleanEnv;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const name = key.toLowerCase().trim();
    if (!name.startsWith('git_') && !UNSAFE_ENV.has(name)) env[key] = value;
  }
  env.GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS = 'true';
  return (cleanEnv = env);
}

interface Finished { code: number | null; stdout: string; stderr: string; error?: Error }

export class GitClient {
  private readonly prefix: string[];

  /** `config` becomes `-c key=value` on every command (a fallback identity). */
  constructor(readonly root: string, private readonly config: readonly string[] = []) {
    this.prefix = config.flatMap((entry) => ['-c', entry]);
  }

  /** A client whose commands also carry `-c key=value` settings. */
  withConfig(config: readonly string[]): GitClient {
    return new GitClient(this.root, [...this.config, ...config]);
  }

  /**
   * `input` goes to git's stdin (`update-ref --stdin`); without it stdin is closed. `env` sets
   * variables on purpose (GIT_INDEX_FILE for a scratch index), unlike the inherited ones.
   */
  async run(args: readonly string[], { input, env }: { input?: string; env?: Record<string, string> } = {}): Promise<string> {
    const result = await this.spawn(args, input, env);
    if (result.code !== 0) throw new GitCommandError(args, result.error?.message ?? `${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  /** For commands whose failure is an answer (`merge-base --is-ancestor`, `rev-parse --verify`). */
  async succeeds(args: readonly string[]): Promise<boolean> {
    return (await this.spawn(args)).code === 0;
  }

  async lines(args: readonly string[]): Promise<string[]> {
    return (await this.run(args)).split('\n').filter((line) => line !== '');
  }

  /** Output of a `-z` command, split on NUL. */
  async entries(args: readonly string[]): Promise<string[]> {
    return (await this.run(args)).split('\0').filter((entry) => entry !== '');
  }

  private spawn(args: readonly string[], input?: string, env?: Record<string, string>): Promise<Finished> {
    return new Promise((resolve) => {
      const child = spawn('git', [...this.prefix, ...args], { cwd: this.root, env: env ? { ...gitEnv(), ...env } : gitEnv(), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true });
      // A git that exits before reading everything must not crash us with EPIPE.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let settled = false;
      const finish = (code: number | null, error?: Error) => {
        if (settled) return;
        settled = true;
        resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), error });
      };
      child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
      // A git that cannot be started (not installed, cwd gone) never closes its pipes.
      child.on('error', (error) => finish(null, error));
      child.on('close', (code) => finish(code));
    });
  }
}
