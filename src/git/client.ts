import { simpleGit, type SimpleGit } from 'simple-git';

/**
 * The one way phasegate talks to git. Arguments are always argv (never a shell string), so plan
 * names, titles and messages with quotes or parentheses pass through untouched.
 */
export class GitCommandError extends Error {
  constructor(readonly args: readonly string[], readonly stderr: string) {
    super(`git ${args.join(' ')}: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    this.name = 'GitCommandError';
  }
}

export class GitClient {
  private readonly git: SimpleGit;

  /**
   * `config` becomes `-c key=value` on every command (a fallback identity). No custom environment:
   * simple-git strips inherited GIT_* variables, and rejects explicit ones it considers unsafe.
   */
  constructor(readonly root: string, private readonly config: readonly string[] = []) {
    this.git = simpleGit({
      baseDir: root,
      config: [...config],
      maxConcurrentProcesses: 4,
      trimmed: false,
      // simple-git's default only fails a command that also wrote to stderr; `show-ref --quiet`
      // and `merge-base --is-ancestor` answer "no" with a bare exit status.
      errors: (error, result) => {
        if (error) return error;
        if (result.exitCode === 0) return undefined;
        return Buffer.concat([...result.stdErr, ...result.stdOut]);
      },
    });
  }

  /** A client whose commands also carry `-c key=value` settings. */
  withConfig(config: readonly string[]): GitClient {
    return new GitClient(this.root, [...this.config, ...config]);
  }

  async run(args: readonly string[]): Promise<string> {
    try {
      return await this.git.raw([...args]);
    } catch (error) {
      throw new GitCommandError(args, (error as Error).message);
    }
  }

  /** For commands whose failure is an answer (`merge-base --is-ancestor`, `rev-parse --verify`). */
  async succeeds(args: readonly string[]): Promise<boolean> {
    try {
      await this.git.raw([...args]);
      return true;
    } catch {
      return false;
    }
  }

  async lines(args: readonly string[]): Promise<string[]> {
    return (await this.run(args)).split('\n').filter((line) => line !== '');
  }

  /** Output of a `-z` command, split on NUL. */
  async entries(args: readonly string[]): Promise<string[]> {
    return (await this.run(args)).split('\0').filter((entry) => entry !== '');
  }
}
