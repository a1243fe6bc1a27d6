import path from 'node:path';

/**
 * Plans name files relative to the repository root. A path that is absolute, climbs out with `..`,
 * or reaches into `.git` (in any case, at any depth) could let a migration touch what phasegate cannot checkpoint.
 * Returns what is wrong, or undefined when the path stays inside the working tree.
 */
export function outsideRepoReason(raw: string): string | undefined {
  const text = raw.startsWith('!') ? raw.slice(1) : raw;
  if (text.trim() === '') return 'is empty';
  if (path.posix.isAbsolute(text) || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('~')) {
    return `'${raw}' is not relative to the repository root`;
  }
  const normal = path.posix.normalize(text.replaceAll('\\', '/'));
  if (normal === '..' || normal.startsWith('../')) return `'${raw}' leaves the repository`;
  // At any depth and in any case: git itself never tracks a `.GIT/…` path, and on a
  // case-insensitive file system (macOS, Windows) `.GIT/config` is `.git/config`.
  if (normal.split('/').some((part) => /^\.git[*?]?$/i.test(part))) return `'${raw}' reaches into .git`;
  return undefined;
}

/** `./src/**` and `src/**` mean the same thing to users; picomatch does not think so. */
export function normaliseRepoPath(raw: string): string {
  const negated = raw.startsWith('!');
  let text = (negated ? raw.slice(1) : raw).replaceAll('\\', '/');
  while (text.startsWith('./')) text = text.slice(2);
  return negated ? `!${text}` : text;
}
