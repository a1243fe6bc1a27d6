import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { GitCommandError } from '../errors.js';

/** git's reasons (its `fatal:`/`error:` lines), else its last lines: advice paragraphs bury them. */
export function reasons(stderr: string): string {
  const lines = stderr.trim().split('\n').map((line) => line.trim()).filter(Boolean);
  const stated = lines.filter((line) => /^(fatal|error):/.test(line));
  return (stated.length > 0 ? stated : lines).slice(-3).join(' ');
}

function gitCommandError(args: readonly string[], stderr: string): GitCommandError {
  return new GitCommandError(`git ${args.map(shortArgument).join(' ')}: ${reasons(stderr)}${hintFor(stderr)}`, args, stderr);
}

/** A commit message or a tag's JSON would bury the one line that says what went wrong. */
function shortArgument(arg: string): string {
  const firstLine = arg.split('\n')[0];
  return firstLine.length > 60 || firstLine !== arg ? `'${firstLine.slice(0, 40)}…'` : arg;
}

/** What to do about failures that come from the user's git set-up, not from phasegate. */
function hintFor(stderr: string): string {
  if (/failed to sign|cannot run gpg|ssh-keygen.*sign/i.test(stderr)) {
    const setting = /unable to sign the tag/i.test(stderr) ? 'tag.gpgsign' : 'commit.gpgsign';
    return ` — git is configured to sign commits or tags (commit.gpgsign / tag.gpgsign) and cannot sign here without help: make signing work non-interactively, or turn it off for this repository (git config ${setting} false)`;
  }
  if (/already (checked out|used by worktree) at/.test(stderr)) {
    return ' — the branch is checked out in another worktree: run phasegate in that worktree, or switch that worktree to another branch first';
  }
  const lock = heldLock(stderr);
  if (lock) return ` — another git process holds ${lock} (an editor or IDE?): let it finish; if no git is running, remove that file`;
  return '';
}

/** The lock file git could not take (`index.lock`, a ref's `.lock`), when that is why it failed. */
function heldLock(stderr: string): string | undefined {
  return /Unable to create '([^']+\.lock)': File exists/.exec(stderr)?.[1];
}

/**
 * How long a command waits for a lock another git holds. Editors and IDEs run `git status` in a
 * loop, each holding `index.lock` for a moment; short pauses catch the gaps between them.
 */
export const LOCK_WAIT_MS = 3000;
const lockPause = (attempt: number) => Math.min(100, 10 * 2 ** attempt);

/**
 * Settings on every command. Hooks are off: a checkpoint is phasegate's record, and the user's
 * hooks (prepare-commit-msg, post-commit, post-checkout, reference-transaction, git-lfs's, …)
 * must neither rewrite it, nor add to it, nor refuse it. A path that is not a folder disables
 * them all, whatever `core.hooksPath` the repository sets. Signing is left as the user configured
 * it (a team that requires signed commits gets signed checkpoints); `signing.ts` checks up front
 * that it works.
 */
const ALWAYS = ['-c', 'core.hooksPath=/dev/null'];

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

/** `bytes`: what git printed; decoded by the caller that wants text (blob contents need not be UTF-8). */
interface Finished { code: number | null; bytes: Buffer; stderr: string; error?: Error }

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
export class GitClient {
  private readonly prefix: string[];

  /** `config` becomes `-c key=value` on every command (a fallback identity). */
  constructor(readonly root: string, private readonly config: readonly string[] = [], private readonly indexFile?: string) {
    this.prefix = [...ALWAYS, ...config.flatMap((entry) => ['-c', entry])];
  }

  /** A client whose commands also carry `-c key=value` settings. */
  withConfig(config: readonly string[]): GitClient {
    return new GitClient(this.root, [...this.config, ...config], this.indexFile);
  }

  /** The scratch index file this client's commands use instead of the repository's, if any. */
  get scratchIndex(): string | undefined {
    return this.indexFile;
  }

  /** A client whose commands use a scratch index file, so the real index stays as it is. */
  withIndexFile(file: string): GitClient {
    return new GitClient(this.root, this.config, file);
  }

  /**
   * `input` goes to git's stdin (`update-ref --stdin`); without it stdin is closed. `env` adds
   * variables (GIT_* ones included). A command that failed only because another git holds a lock
   * did nothing, so it is tried again for a moment.
   */
  async run(args: readonly string[], { input, env }: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
    for (let attempt = 0, waited = 0; ; attempt++) {
      const result = await this.spawn(args, input, env);
      if (result.code === 0) return result.bytes.toString('utf8');
      const reason = result.error?.message ?? `${result.stderr}${result.bytes.toString('utf8')}`;
      if (!heldLock(reason) || waited >= LOCK_WAIT_MS) throw gitCommandError(args, reason);
      await sleep(lockPause(attempt));
      waited += lockPause(attempt);
    }
  }

  /** For commands whose failure is an answer (`merge-base --is-ancestor`, `rev-parse --verify`). */
  async succeeds(args: readonly string[]): Promise<boolean> {
    return (await this.spawn(args)).code === 0;
  }

  /** Exit code and output, for a command whose failure still answers part of the question. */
  async attempt(args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
    const { code, bytes } = await this.spawn(args);
    return { code, stdout: bytes.toString('utf8') };
  }

  /** Output as bytes (blob contents, which need not be UTF-8). */
  async bytes(args: readonly string[], { input }: { input?: string } = {}): Promise<Buffer> {
    const result = await this.spawn(args, input);
    if (result.code !== 0) throw gitCommandError(args, result.error?.message ?? result.stderr);
    return result.bytes;
  }

  async lines(args: readonly string[]): Promise<string[]> {
    return (await this.run(args)).split('\n').filter((line) => line !== '');
  }

  /** Output of a `-z` command, split on NUL. */
  async entries(args: readonly string[]): Promise<string[]> {
    return (await this.run(args)).split('\0').filter((entry) => entry !== '');
  }

  /**
   * A command whose stdin is written bit by bit while it runs (`update-index --stdin` fed as a
   * step writes files); `end()` closes stdin and settles when git has finished, rejecting unless
   * it exited 0. Not retried on a held lock: the caller has a way without it.
   */
  feed(args: readonly string[]): { write(text: string): void; end(): Promise<void> } {
    let stdin: NodeJS.WritableStream | undefined;
    const finished = this.spawn(args, (child) => { stdin = child; });
    finished.catch(() => undefined);
    return {
      write: (text) => { stdin?.write(text); },
      end: async () => {
        stdin?.end();
        const result = await finished;
        if (result.code !== 0) throw gitCommandError(args, result.error?.message ?? result.stderr);
      },
    };
  }

  private spawn(args: readonly string[], input?: string | ((stdin: NodeJS.WritableStream) => void), env?: NodeJS.ProcessEnv): Promise<Finished> {
    return new Promise((resolve) => {
      const extra = { ...(this.indexFile ? { GIT_INDEX_FILE: this.indexFile } : {}), ...env };
      // A process group of its own: a terminal's Ctrl-C signals the whole foreground group, and a
      // git cut short mid-reset leaves a half-written tree. phasegate handles the Ctrl-C itself,
      // between git commands (exit 130 after restoring); each git command runs to its end.
      const child = spawn('git', [...this.prefix, ...args], { cwd: this.root, env: Object.keys(extra).length > 0 ? { ...gitEnv(), ...extra } : gitEnv(), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true, detached: true });
      // A git that exits before reading everything must not crash us with EPIPE.
      child.stdin?.on('error', () => undefined);
      if (typeof input === 'function') input(child.stdin!);
      else child.stdin?.end(input);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let settled = false;
      const finish = (code: number | null, error?: Error) => {
        if (settled) return;
        settled = true;
        resolve({ code, bytes: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8'), error });
      };
      child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
      // A git that cannot be started (not installed, cwd gone) never closes its pipes.
      child.on('error', (error) => finish(null, error));
      child.on('close', (code) => finish(code));
    });
  }
}
