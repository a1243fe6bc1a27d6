import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { StepError } from '../errors.js';
import { outsideRepoReason } from '../plan/repo-paths.js';
import { loopDeadline } from '../process/deadline.js';
import { Confinement } from '../scope/confine.js';
import type { RenameStep } from '../plan/schema.js';
import { requireSources } from './select-sources.js';
import { shorten, type StepContext, type TransformKind } from './types.js';

/**
 * `rename: <path or glob>` + `to: <template>`. In the template, for `pkg/mod/notifier.py`:
 * {path} = pkg/mod/notifier.py, {dir} = pkg/mod, {name} = notifier, {ext} = .py.
 */
export const rename: TransformKind<RenameStep> = {
  describe: (step) => `rename ${shorten(step.rename, 40)} → ${shorten(step.to, 40)}`,

  async apply(step, context) {
    const sources = requireSources('rename', step.rename, step.missing, context, step.files);
    if (!Array.isArray(sources)) return sources;
    const changed: string[] = [];
    const confinement = new Confinement(context.root);
    const deadline = loopDeadline(context.signal, step.timeout);
    for (const source of sources) {
      deadline.check();
      const target = fillTemplate(step.to, source.path);
      const absoluteTarget = path.join(context.root, target);
      if (target === source.path) continue;
      for (const end of [source.path, target]) confinement.assertWritable(end, `rename '${source.path}' to '${target}'`);
      if (existsSync(absoluteTarget)) throw new StepError(`cannot rename '${source.path}' to '${target}': the target exists`);
      const nested = repositoryAround(context.root, target);
      if (nested) throw new StepError(`cannot rename '${source.path}' to '${target}': ${nested} is another git repository, where this one cannot track the file`);
      if (source.kind === 'file') {
        moveFile(context.root, source.path, target);
        context.files.renamed(source.path, target);
        changed.push(target);
      } else {
        // File by file, never the folder: untracked notes, an ignored .env or the plan inside it
        // are not the phase's to move (what `git mv` moves, plus files earlier steps created).
        for (const file of source.files) {
          deadline.check();
          const moved = target + file.slice(source.path.length);
          moveFile(context.root, file, moved);
          context.files.renamed(file, moved);
          changed.push(moved);
        }
        removeEmptyFolders(path.join(context.root, source.path));
      }
    }
    await keepTracked(context, changed);
    return { changed, notes: [] };
  },
};

/**
 * A moved file stays tracked, as with `git mv`: staged now, so the checkpoint holds it even where
 * `git add -A` would pass it by — a target git ignores (an archive folder, `*.deprecated_backup`).
 * The revert's reset takes it back out.
 */
async function keepTracked(context: StepContext, moved: readonly string[]): Promise<void> {
  if (moved.length === 0) return;
  await context.git.run(['add', '--force', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: moved.map((file) => `:(literal)${file}\0`).join('') });
}

/** The folder between the repository root and `target` that is a repository of its own, if any. */
function repositoryAround(root: string, target: string): string | undefined {
  const parts = path.dirname(target).split('/').filter((part) => part !== '.' && part !== '');
  for (let depth = 1; depth <= parts.length; depth++) {
    const folder = parts.slice(0, depth).join('/');
    if (existsSync(path.join(root, folder, '.git'))) return folder;
  }
  return undefined;
}

function moveFile(root: string, from: string, to: string): void {
  const absoluteTarget = path.join(root, to);
  mkdirSync(path.dirname(absoluteTarget), { recursive: true });
  renameSync(path.join(root, from), absoluteTarget);
}

/** The folders a directory rename emptied, deepest first; a folder still holding anything stays. */
function removeEmptyFolders(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const child = path.join(dir, entry);
    if (statIsFolder(child)) removeEmptyFolders(child);
  }
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Not empty after all, or gone: leave it.
  }
}

function statIsFolder(file: string): boolean {
  try {
    return lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

export function fillTemplate(template: string, file: string): string {
  const parsed = path.posix.parse(file);
  const values: Record<string, string> = { path: file, dir: parsed.dir || '.', name: parsed.name, ext: parsed.ext };
  const filled = template.replace(/\{(path|dir|name|ext)\}/g, (_, key: string) => values[key]);
  const normal = path.posix.normalize(filled).replace(/^\.\//, '');
  const reason = outsideRepoReason(normal);
  if (reason) throw new StepError(`rename target for '${file}': ${reason}`);
  return normal;
}
