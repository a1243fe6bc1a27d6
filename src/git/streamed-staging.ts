import type { GitClient } from './client.js';

/**
 * Staging while the steps write. `git add -A` after the steps walks the whole working tree for new
 * and deleted files — about 0.2 s at 20,000 files, and a `replace` or a `codemod` makes neither.
 * When a phase's steps are all of those, each file they write is handed, as it is written, to one
 * `git update-index --stdin` working on the other core, and the checkpoint commits the index it
 * leaves. git holds the index lock from its start to its end: nothing else may use the index
 * meanwhile (finish() before a revert). If it fails (another git held the lock when it started),
 * the checkpoint stages with `git add -A`, as it does without it.
 */
export class StreamedStaging {
  private readonly feed: ReturnType<GitClient['feed']>;
  private finished: Promise<boolean> | undefined;

  constructor(git: GitClient) {
    this.feed = git.feed(['update-index', '-z', '--stdin']);
  }

  /** Files the steps wrote (written again later, a file is handed over again: git stages its last content). */
  add(files: readonly string[]): void {
    if (!this.finished && files.length > 0) this.feed.write(files.map((file) => `${file}\0`).join(''));
  }

  /** Once git is done: true when every file handed over is staged. */
  finish(): Promise<boolean> {
    this.finished ??= this.feed.end().then(() => true, () => false);
    return this.finished;
  }
}
