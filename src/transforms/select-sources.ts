import { existsSync, lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { StepError } from '../errors.js';
import { normaliseRepoPath } from '../plan/repo-paths.js';
import { compileGlobs, isGlob } from '../scope/globs.js';
import type { StepContext } from './types.js';

/**
 * What a `rename:` or `delete:` names: a glob over files in scope, one file, or a directory
 * (everything under it). Only files phasegate can checkpoint count: an ignored file is not
 * something a phase may move or remove.
 */
export type Source = { kind: 'file'; path: string } | { kind: 'directory'; path: string; files: string[] };

export function selectSources(pattern: string, context: StepContext, stepFiles?: string | string[]): Source[] {
  const normal = normaliseRepoPath(pattern).replace(/\/+$/, '');
  const within = stepFiles ? compileGlobs(stepFiles) : () => true;
  if (isGlob(normal)) {
    const matches = compileGlobs(normal);
    return context.files.all().filter((file) => matches(file) && within(file) && !isSubmodule(context.root, file)).sort().map((file) => ({ kind: 'file', path: file }));
  }
  if (context.files.has(normal)) {
    if (isSubmodule(context.root, normal)) {
      throw new StepError(`'${normal}' is a submodule, another repository with work of its own; rename and delete work on this repository's files (move a submodule with a run step: git mv)`);
    }
    return [{ kind: 'file', path: normal }];
  }
  const prefix = `${normal}/`;
  const inside = context.files.all().filter((file) => file.startsWith(prefix) && !isSubmodule(context.root, file));
  if (inside.length > 0) return [{ kind: 'directory', path: normal, files: inside }];
  const absolute = path.join(context.root, normal);
  if (existsSync(absolute) && !statSync(absolute).isDirectory()) {
    throw new StepError(`'${normal}' exists but is not tracked by git (ignored?); phasegate only moves files it can checkpoint`);
  }
  return [];
}

/** Sources for a rename/delete step; none is an error unless the step says `missing: ignore`. */
export function requireSources(verb: 'rename' | 'delete', pattern: string, missing: 'error' | 'ignore' | undefined, context: StepContext, stepFiles?: string | string[]): Source[] | { changed: string[]; notes: string[] } {
  const sources = selectSources(pattern, context, stepFiles);
  if (sources.length > 0) return sources;
  if (missing === 'ignore') return { changed: [], notes: [`nothing matches '${pattern}' (missing: ignore)`] };
  throw new StepError(`nothing to ${verb}: no tracked file matches '${pattern}' (add "missing: ignore" if that is expected)`);
}

/**
 * A tracked path that is a folder in the working tree is a submodule (git tracks it as one link,
 * checked out as a folder); the tree is clean when a phase starts, so nothing else can be.
 */
function isSubmodule(root: string, file: string): boolean {
  try {
    return lstatSync(path.join(root, file)).isDirectory();
  } catch {
    return false;
  }
}
