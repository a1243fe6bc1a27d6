import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { StepError } from '../errors.js';
import type { Problem } from '../plan/explain-issues.js';
import type { Plan } from '../plan/load.js';
import type { PlanDocument } from '../plan/schema.js';

/**
 * phasegate reads and writes only inside the working tree. Paths from git or a plan are relative
 * to the root and never contain `..` (repo-paths.ts refuses those), but a folder on the way may be
 * a symlink: `ldir -> /elsewhere` is one tracked file to git, and `ldir/a.py` is a file outside
 * the repository that no checkpoint holds. The last part of a path is not asked here: reads and
 * writes open it with O_NOFOLLOW (scope/text.ts), and a rename or delete acts on the link itself.
 *
 * Any symlinked folder is refused, even one pointing inside the tree: git cannot track a file
 * beyond a symlink (`git add lib/a.py` fails when `lib` is one), so a file written there could
 * never be part of a checkpoint. One lstat per folder, asked once per scan: files of one folder
 * share the answer, and a folder's answer starts from its parent's.
 */
export class Confinement {
  /** Folder (relative, '' for the root) → why it leaves the tree, or undefined when it does not. */
  private readonly folders = new Map<string, string | undefined>([['', undefined]]);

  private realRoot: string | undefined;

  constructor(private readonly root: string) {}

  /** Why reading or writing `file` would go through a symlinked folder, or undefined. */
  escape(file: string): string | undefined {
    return this.folderEscape(parentOf(file));
  }

  /** The files that can be read without leaving the tree (the others are skipped like symlinks). */
  inside(files: readonly string[]): string[] {
    return files.filter((file) => this.escape(file) === undefined);
  }

  /** Throws a StepError naming the symlink when writing `file` would leave the tree. */
  assertWritable(file: string, doing: string): void {
    const reason = this.escape(file);
    if (reason) throw new StepError(`cannot ${doing}: ${reason}`);
  }

  folderEscape(folder: string): string | undefined {
    if (this.folders.has(folder)) return this.folders.get(folder);
    const reason = this.folderEscape(parentOf(folder)) ?? this.symlinkReason(folder);
    this.folders.set(folder, reason);
    return reason;
  }

  /** Why the folder `relative` (its parents already known to be plain folders) is a symlink. */
  private symlinkReason(relative: string): string | undefined {
    const absolute = path.join(this.root, relative);
    try {
      if (!lstatSync(absolute).isSymbolicLink()) return undefined;
    } catch {
      // Not there yet (a rename creates it inside its parent) or not a folder: nothing to follow.
      return undefined;
    }
    let real: string;
    try {
      real = realpathSync.native(absolute);
    } catch {
      return `'${relative}' is a symlink that leads nowhere; phasegate neither reads nor writes through it`;
    }
    this.realRoot ??= realpathSync.native(this.root);
    const within = path.relative(this.realRoot, real);
    const outside = within.startsWith('..') || path.isAbsolute(within) || within.split(path.sep)[0].toLowerCase() === '.git';
    return outside
      ? `'${relative}' is a symlink to ${real}, outside the working tree`
      : `'${relative}' is a symlink (to ${within || '.'}); git cannot track files beyond it`;
  }
}

function parentOf(file: string): string {
  const parent = path.posix.dirname(file);
  return parent === '.' ? '' : parent;
}

/**
 * Rename targets whose fixed folder (`ldir/` in `to: ldir/{name}.py`) goes through a symlinked
 * folder now: `check` and the start of `run` refuse them before anything changes. A target that
 * depends on the file (`{dir}/…`) is known only at run time, where the step asks again.
 */
export async function refuseEscapingRenames(plan: Plan, root: string): Promise<void> {
  const problems = renameTargetProblems(plan.document, root);
  // The YAML parser (to locate them) is loaded only when there is something to report.
  if (problems.length > 0) await (await import('../plan/load.js')).refusePlanProblems(plan, problems);
}

function renameTargetProblems(doc: PlanDocument, root: string): Problem[] {
  const confinement = new Confinement(root);
  const problems: Problem[] = [];
  doc.phases.forEach((phase, phaseIndex) => (phase.transform ?? []).forEach((step, stepIndex) => {
    if (!('rename' in step)) return;
    const fixed = path.posix.normalize(`${step.to.split('{')[0]}x`);
    const reason = confinement.folderEscape(parentOf(fixed));
    if (reason) problems.push({ path: ['phases', phaseIndex, 'transform', stepIndex, 'to'], message: `'${step.to}' goes through a symlink: ${reason}` });
  }));
  return problems;
}
