import { constants } from 'node:fs';
import { appendFile, cp, lstat, mkdir, readlink, realpath, symlink } from 'node:fs/promises';
import path from 'node:path';
import { RefusedError } from '../../errors.js';
import type { GitClient } from '../../git/client.js';
import { ignorePattern } from '../../git/state.js';
import { formatDuration } from '../../plan/duration.js';
import { normaliseRepoPath, outsideRepoReason } from '../../plan/repo-paths.js';
import type { PlanDocument } from '../../plan/schema.js';

/**
 * `carry:` and `--carry`: git-ignored paths (node_modules, .venv, build output) brought into the
 * scratch clone of --dry-run and rehearse, whose checks need them and which has only what git
 * tracks.
 *
 * The rule, so that nothing a scratch run does can reach the user's repository: a path inside the
 * repository is COPIED, never linked — checks write into the dependencies they read (caches in
 * node_modules/.cache, .pyc files in a venv) and a link would carry those writes back. Links inside
 * the copy that point into the repository are pointed at the clone instead. The one thing LINKED is
 * a carried path that is itself a symlink to a place outside the repository (a shared virtualenv,
 * a package store): the scratch run then reaches what the user's own runs reach, nothing inside the
 * repository. The copy uses copy-on-write where the file system offers it (btrfs, XFS, APFS).
 */
export interface CarriedPath {
  /** Relative to the repository root, '/'-separated. */
  path: string;
  how: 'copied' | 'linked';
  /** For a link: where it points. */
  target?: string;
  entries: number;
  durationMs: number;
}

/** The plan's `carry:` and the command line's `--carry`, checked in the user's repository. */
export async function carryRequest(git: GitClient, root: string, doc: PlanDocument, flags: readonly string[], cwd: string): Promise<string[]> {
  const wanted = [
    ...(doc.carry ?? []).map((raw) => ({ raw, label: 'carry', relative: tidy(path.posix.normalize(normaliseRepoPath(raw))) })),
    ...flags.map((raw) => ({ raw, label: `--carry ${raw}`, relative: tidy(path.relative(root, path.resolve(cwd, raw)).split(path.sep).join('/')) })),
  ];
  const chosen: string[] = [];
  for (const { raw, label, relative } of wanted) {
    const outside = relative === '' ? 'is the whole repository' : outsideRepoReason(relative);
    if (outside) throw new RefusedError(`${label}: ${outside.replace(`'${relative}'`, `'${raw}'`)}`);
    if (chosen.includes(relative)) continue;
    if (!(await exists(path.join(root, relative)))) {
      throw new RefusedError(`${label}: '${relative}' does not exist in ${root} (install the dependencies first, or drop it)`);
    }
    if ((await git.run(['ls-files', '--', `:(literal)${relative}`])).trim() !== '') {
      throw new RefusedError(`${label}: '${relative}' is tracked by git, so it is in the scratch clone already; carry brings only ignored paths (node_modules, .venv)`);
    }
    if (!(await git.succeeds(['check-ignore', '--quiet', '--', relative]))) {
      throw new RefusedError(`${label}: '${relative}' is not ignored by git; carry brings only ignored paths (add it to .gitignore, or commit it)`);
    }
    chosen.push(relative);
  }
  // node_modules and node_modules/.bin: the folder brings the subfolder.
  return chosen.filter((one) => !chosen.some((other) => one.startsWith(`${other}/`)));
}

/** Bring each path into the clone, say how, and keep it out of the clone's commits. */
export async function carryInto(root: string, cloneRoot: string, clone: GitClient, paths: readonly string[], notice: (text: string) => void): Promise<CarriedPath[]> {
  if (paths.length === 0) return [];
  const carried: CarriedPath[] = [];
  const realRoot = await realpath(root);
  for (const relative of paths) {
    const started = performance.now();
    const source = path.join(root, relative);
    const destination = path.join(cloneRoot, relative);
    if (await exists(destination)) {
      notice(`carry: '${relative}' is already in the scratch clone (tracked in the commit it starts from); left as it is`);
      continue;
    }
    await mkdir(path.dirname(destination), { recursive: true });
    const real = await realpath(source);
    if ((await lstat(source)).isSymbolicLink() && !inside(realRoot, real)) {
      await symlink(real, destination);
      carried.push({ path: relative, how: 'linked', target: real, entries: 1, durationMs: performance.now() - started });
      continue;
    }
    const entries = await copyTree(real, destination, { from: realRoot, to: cloneRoot });
    carried.push({ path: relative, how: 'copied', entries, durationMs: performance.now() - started });
  }
  // Ignored in the clone too, whatever its .gitignore says: a checkpoint must never commit them.
  const exclude = (await clone.run(['rev-parse', '--path-format=absolute', '--git-path', 'info/exclude'])).trim();
  await mkdir(path.dirname(exclude), { recursive: true });
  await appendFile(exclude, `\n# carried by phasegate\n${paths.map(ignorePattern).join('\n')}\n`);
  notice(`carried into the scratch clone: ${carried.map(describe).join('; ')}`);
  return carried;
}

/**
 * fs.cp, keeping links as links (`.bin/tsc -> ../typescript/bin/tsc`). A link that would lead
 * from the copy back into the user's repository (an absolute one into it) is re-pointed at the same
 * place in the clone; a relative one that climbs out of the repository is made absolute.
 */
async function copyTree(source: string, destination: string, roots: { from: string; to: string }): Promise<number> {
  let entries = 0;
  await cp(source, destination, {
    recursive: true,
    verbatimSymlinks: true,
    mode: constants.COPYFILE_FICLONE,
    filter: async (from, to) => {
      entries++;
      if (!(await lstat(from)).isSymbolicLink()) return true;
      const target = await readlink(from);
      // Where it really leads, not only how it is spelled: through another path to the repository
      // (a symlinked parent, /tmp on macOS) an absolute link still leads back into it.
      const spelled = path.resolve(path.dirname(from), target);
      const resolved = await realpath(spelled).catch(() => spelled);
      const intoRepository = inside(roots.from, resolved);
      if (path.isAbsolute(target) === intoRepository) {
        await symlink(intoRepository ? path.join(roots.to, path.relative(roots.from, resolved)) : resolved, to);
        return false;
      }
      return true;
    },
  });
  return entries;
}

function describe(entry: CarriedPath): string {
  if (entry.how === 'linked') return `${entry.path} (linked to ${entry.target}, outside the repository)`;
  return `${entry.path} (copied, ${entry.entries.toLocaleString('en-US')} entries, ${formatDuration(entry.durationMs)})`;
}

function inside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function tidy(relative: string): string {
  const trimmed = relative.replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(() => true, () => false);
}
