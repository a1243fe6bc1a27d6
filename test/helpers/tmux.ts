import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { BIN } from './cli.js';
import { processTree } from './process-tree.js';
import { tempDir } from './repo.js';

/**
 * The built CLI in a real pseudo-terminal: a detached tmux session (200×50) on a tmux server of
 * this test file's own, driven with send-keys and read with capture-pane. Waiting is polling the
 * screen for expected text with a deadline, never a fixed sleep. Sessions are killed after each
 * test, and the server (on a socket of its own, not the user's tmux) after the file.
 */
const socketDir = mkdtempSync(path.join(os.tmpdir(), 'phasegate-tmux-'));
const SOCKET = path.join(socketDir, 'socket');
let counter = 0;
const live: Terminal[] = [];

afterEach(() => {
  for (const terminal of live.splice(0)) terminal.kill();
});

afterAll(() => {
  try {
    execFileSync('tmux', ['-S', SOCKET, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // no server left: every session ended already
  }
  rmSync(socketDir, { recursive: true, force: true });
});

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export class Terminal {
  readonly name = `pg-${process.pid}-${++counter}`;
  private readonly exitFile = path.join(tempDir('phasegate-tty-'), 'exit');

  /**
   * Starts `phasegate <args>` in `cwd`. CI is unset (the test runner may set it) unless given in
   * `env`; the exit status is written to a file when the CLI ends.
   */
  constructor(args: string[], options: { cwd: string; env?: Record<string, string>; size?: { columns: number; rows: number } }) {
    const env = Object.entries({ SHELL: '/bin/sh', ...options.env }).map(([key, value]) => `${key}=${quote(value)}`).join(' ');
    const command = `env -u CI ${env} ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}; echo EXIT=$? > ${quote(this.exitFile)}`;
    // remain-on-exit keeps the last screen readable after the CLI ended.
    const { columns, rows } = options.size ?? { columns: 200, rows: 50 };
    tmux('new-session', '-d', '-s', this.name, '-x', String(columns), '-y', String(rows), '-c', options.cwd, command, ';', 'set-option', '-t', this.name, 'remain-on-exit', 'on');
    live.push(this);
  }

  /** What the terminal shows now (the visible 50 lines). */
  screen(): string {
    return tmux('capture-pane', '-p', '-t', this.name);
  }

  /** Everything the terminal printed, the lines scrolled away included. */
  history(): string {
    return tmux('capture-pane', '-p', '-S', '-', '-t', this.name);
  }

  /** Waits until the screen shows `text`; fails with the screen as it is on timeout or exit. */
  async waitFor(text: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const shows = (screen: string) => (typeof text === 'string' ? screen.includes(text) : text.test(screen));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const exited = this.exited();
      const screen = this.screen();
      if (shows(screen)) return screen;
      if (exited !== undefined) throw new Error(`the CLI exited (${exited}) without showing ${String(text)}; screen:\n${screen}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** tmux key names: 'Enter', 'Down', 'C-c', or literal text. */
  keys(...keys: string[]): void {
    tmux('send-keys', '-t', this.name, ...keys);
  }

  exited(): number | undefined {
    if (!existsSync(this.exitFile)) return undefined;
    const match = /EXIT=(\d+)/.exec(readFileSync(this.exitFile, 'utf8'));
    return match ? Number(match[1]) : undefined;
  }

  async exitCode(timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const code = this.exited();
      if (code !== undefined) return code;
      if (Date.now() > deadline) throw new Error(`the CLI did not exit; screen:\n${this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ends the session and whatever the CLI started: checks run in sessions of their own, out of tmux's reach. */
  kill(): void {
    let tree: number[] = [];
    try {
      tree = processTree(Number(tmux('display-message', '-p', '-t', this.name, '#{pane_pid}').trim()));
      tmux('kill-session', '-t', this.name);
    } catch {
      // already gone
    }
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended with the session
      }
    }
  }
}
