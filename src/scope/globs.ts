import picomatch from 'picomatch';
import { normaliseRepoPath } from '../plan/repo-paths.js';

/**
 * Globs over repository-relative paths, as users write them in `files:`:
 * - `src/**\/*.py` is a normal glob; `*.py` (no slash) matches at any depth, as in .gitignore;
 * - a plain path (`src/legacy`) matches that file or everything under that directory;
 * - a leading `!` excludes. Dotfiles are matched like any other file.
 */
export type FileFilter = (file: string) => boolean;

export function compileGlobs(globs: string | readonly string[] | undefined): FileFilter {
  const list = (globs === undefined ? [] : typeof globs === 'string' ? [globs] : [...globs]).map(normaliseRepoPath);
  const include = list.filter((glob) => !glob.startsWith('!')).map(compileOne);
  const exclude = list.filter((glob) => glob.startsWith('!')).map((glob) => compileOne(glob.slice(1)));
  return (file) => (include.length === 0 || include.some((test) => test(file))) && !exclude.some((test) => test(file));
}

export function isGlob(pattern: string): boolean {
  return picomatch.scan(pattern).isGlob;
}

function compileOne(pattern: string): FileFilter {
  if (!isGlob(pattern)) {
    const exact = pattern.replace(/\/+$/, '');
    return (file) => file === exact || file.startsWith(`${exact}/`);
  }
  return picomatch(pattern, { dot: true, basename: !pattern.includes('/') });
}
