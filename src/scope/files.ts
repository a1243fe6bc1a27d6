import type { GitClient } from '../git/client.js';
import { trackedPaths } from '../git/index-listing.js';
import { compileGlobs } from './globs.js';

/**
 * The files a phase works on. Scope starts as the files git tracks and follows the phase as it
 * goes: a file an earlier step renamed or created is in scope for later steps. The plan file is
 * never in scope.
 */
export class PhaseFiles {
  private files: Set<string>;

  private readonly excluded: Set<string>;

  /** Selections by `files` globs: every step and check of a phase asks again, for 20,000 paths. */
  private readonly selections = new Map<string, string[]>();

  private constructor(private readonly git: GitClient, files: Iterable<string>, excluded: Iterable<string>) {
    this.excluded = new Set(excluded);
    this.files = new Set([...files].filter((file) => !this.excluded.has(file)));
  }

  /** Tracked files at HEAD, minus the plan file and untracked files that are not the phase's. */
  static async tracked(git: GitClient, exclude: readonly (string | undefined)[]): Promise<PhaseFiles> {
    return new PhaseFiles(git, await trackedPaths(git), exclude.filter((file): file is string => Boolean(file)));
  }

  /** Files as they are in the working tree now: tracked minus deleted, plus new unignored files. */
  async refresh(): Promise<void> {
    const [present, deleted] = await Promise.all([
      this.git.entries(['ls-files', '-z', '--cached', '--others', '--exclude-standard']),
      this.git.entries(['ls-files', '-z', '--deleted']),
    ]);
    const gone = new Set(deleted);
    this.files = new Set(present.filter((file) => !gone.has(file) && !this.excluded.has(file)));
    this.selections.clear();
  }

  /** The same scope narrowed to `paths` (a sync's replay transforms only the files that differ, see engine/run/recorded-results.ts). */
  narrowedTo(paths: ReadonlySet<string>): PhaseFiles {
    return new PhaseFiles(this.git, [...this.files].filter((file) => paths.has(file)), this.excluded);
  }

  all(): string[] {
    return [...this.files];
  }

  /** Files in scope for a step or check: its own `files`, else the plan's, else everything. */
  select(globs: string | readonly string[] | undefined): string[] {
    if (globs === undefined) return this.all();
    const key = JSON.stringify(globs);
    let selected = this.selections.get(key);
    if (!selected) {
      selected = this.all().filter(compileGlobs(globs));
      this.selections.set(key, selected);
    }
    return [...selected];
  }

  /** The same files in scope (order aside). */
  sameAs(other: PhaseFiles | undefined): boolean {
    if (!other || other.files.size !== this.files.size) return false;
    for (const file of this.files) if (!other.files.has(file)) return false;
    return true;
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  renamed(from: string, to: string): void {
    this.files.delete(from);
    this.files.add(to);
    this.selections.clear();
  }

  deleted(file: string): void {
    this.files.delete(file);
    this.selections.clear();
  }
}
