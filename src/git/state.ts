import { GitClient } from './client.js';
import { startedProbe } from './repository-probe.js';

/** Read-only questions about a repository. */

/**
 * The repository's top folder for `cwd`, asked of git once a process: `run` needs it for its
 * output paths and again to open the repository (a git process each, before anything else can
 * start). Only a found root is remembered: `init` may create the repository afterwards.
 */
const roots = new Map<string, Promise<string | undefined>>();

export function findRepoRoot(cwd: string): Promise<string | undefined> {
  const known = roots.get(cwd);
  if (known) return known;
  // `run` and `rollback` probe the repository as they start (repository-probe.ts): its answer holds the root.
  const probe = startedProbe(cwd);
  const asked = probe
    ? probe.then((facts) => facts?.root, () => undefined)
    : new GitClient(cwd).run(['rev-parse', '--show-toplevel']).then((out) => out.trim(), () => undefined);
  roots.set(cwd, asked);
  void asked.then((root) => {
    if (root === undefined) roots.delete(cwd);
  });
  return asked;
}

export async function headCommit(git: GitClient): Promise<string> {
  return (await git.run(['rev-parse', '--verify', 'HEAD'])).trim();
}

export async function resolveCommit(git: GitClient, rev: string): Promise<string | undefined> {
  try {
    return (await git.run(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim();
  } catch {
    return undefined;
  }
}

export async function treeOf(git: GitClient, rev: string): Promise<string> {
  return (await git.run(['rev-parse', '--verify', `${rev}^{tree}`])).trim();
}

/** The branch HEAD is on, or undefined when detached. */
export async function currentBranch(git: GitClient): Promise<string | undefined> {
  try {
    const ref = (await git.run(['symbolic-ref', '--quiet', 'HEAD'])).trim();
    // Not `--short`: beside a tag of the same name git shortens refs/heads/main to `heads/main`,
    // which checks out as a detached HEAD.
    if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
    return (await git.run(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim();
  } catch {
    return undefined;
  }
}

export async function branchExists(git: GitClient, branch: string): Promise<boolean> {
  return git.succeeds(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`]);
}

export async function isAncestor(git: GitClient, ancestor: string, descendant: string): Promise<boolean> {
  return git.succeeds(['merge-base', '--is-ancestor', ancestor, descendant]);
}

/**
 * Which of `refs` (full names) point at a commit that contains `commit`: one `for-each-ref
 * --contains` for what would be a `merge-base --is-ancestor` process per ref. Tags are peeled.
 */
export async function refsContaining(git: GitClient, commit: string, refs: readonly string[]): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  // A name is a pattern that also matches refs below it: only the names asked about count.
  const asked = new Set(refs);
  return new Set((await git.lines(['for-each-ref', '--contains', commit, '--format=%(refname)', ...refs])).filter((ref) => asked.has(ref)));
}

/**
 * The working tree's state as `git status` shows it: tracked changes (`M  src/a.py`) and untracked
 * files, leaving out the given paths.
 */
export interface WorkingTree { changes: string[]; untracked: string[] }

export async function workingTree(git: GitClient, ignore: readonly string[] = []): Promise<WorkingTree> {
  // Two questions at once rather than `status --untracked-files=all`, which answers them one
  // after the other (every run and rollback asks this before it may touch anything): at 20,000
  // files 59–69 ms against 78–86 ms, measured alone; less when other git processes share the two
  // cores. `ls-files --others --exclude-standard` lists what that status lists as `??`, by the
  // same ignore rules, without entering ignored directories; a nested repository as `dir/`.
  const [entries, untracked] = await Promise.all([
    git.entries(['status', '--porcelain=v1', '-z', '--untracked-files=no']),
    // From a subfolder (rollback asks from the user's cwd) ls-files would list only that folder,
    // relative to it: `:/` and --full-name make it the whole tree, relative to the root, as status is.
    git.entries(['ls-files', '--others', '--exclude-standard', '--full-name', '-z', '--', ':/']),
  ]);
  const skip = new Set(ignore);
  const tree: WorkingTree = { changes: [], untracked: untracked.filter((file) => !skip.has(file)) };
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    const code = entry.slice(0, 2);
    const file = entry.slice(3);
    // A rename or copy is followed by its source path as a separate entry.
    if (code[0] === 'R' || code[0] === 'C') index++;
    if (skip.has(file)) continue;
    tree.changes.push(`${code} ${file}`);
  }
  return tree;
}

/** Everything that differs from HEAD (tracked changes and untracked files) outside `ignore`. */
export async function uncommittedChanges(git: GitClient, ignore: readonly string[] = []): Promise<string[]> {
  const tree = await workingTree(git, ignore);
  return [...tree.changes, ...tree.untracked.map((file) => `?? ${file}`)];
}

/**
 * Untracked files outside `keep`, one path per file (a nested repository as `dir/`), by the same
 * ignore rules as `git status`: ignored files are never listed. After a `reset --hard` this is all
 * that can differ from HEAD: the reset fails loudly when it cannot write a tracked file.
 */
export async function untrackedFiles(git: GitClient, keep: readonly string[] = [], within?: readonly string[]): Promise<string[]> {
  const skip = new Set(keep);
  const pathspecs = within ? ['--', ...within.map((file) => `:(literal)${file}`)] : [];
  return (await git.entries(['ls-files', '--others', '--exclude-standard', '-z', ...pathspecs])).filter((file) => !skip.has(file));
}

/** A .gitignore line that matches exactly this path (relative to the root), whatever its characters. */
export function ignorePattern(file: string): string {
  return `/${file.replace(/[\\*?[\]!# ]/g, '\\$&')}`;
}

export async function isTracked(git: GitClient, file: string): Promise<boolean> {
  return (await git.run(['ls-files', '--', file])).trim() !== '';
}

export interface ChangeStats { files: string[]; insertions: number; deletions: number }

/**
 * The files a diff touches, a rename as its new path, without counting lines: git compares the
 * trees' entries and reads no file (60–80 ms for 5,000 changed files, where `--numstat` takes
 * 350–575 ms). `to` null: the index (what `git add` staged), compared with `from`.
 */
export async function changedPaths(git: GitClient, from: string, to: string | null): Promise<string[]> {
  const entries = await git.entries(to === null ? ['diff', '--cached', '--name-status', '-z', '--find-renames', from] : ['diff', '--name-status', '-z', '--find-renames', from, to]);
  const files: string[] = [];
  for (let index = 0; index < entries.length; index++) {
    // With -z: the status, then the path; a rename or copy (R100, C75) has its old path, then its new one.
    const renamed = entries[index][0] === 'R' || entries[index][0] === 'C';
    index += renamed ? 2 : 1;
    if (entries[index] !== undefined) files.push(entries[index]);
  }
  return files;
}

/** One file a diff changes, as `git diff --raw` gives it: `raw` is its whole entry (modes, blob ids, status), for comparing. */
export interface RawChange { raw: string; status: string; oldMode: string; newMode: string; newBlob: string }

/**
 * Per path, what `from` → `to` did to it: modes, blob ids and status, no file content read. No
 * rename detection: a rename is a delete and an add.
 */
export async function rawChanges(git: GitClient, from: string, to: string): Promise<Map<string, RawChange>> {
  const fields = await git.entries(['diff', '--raw', '-z', '--no-abbrev', '--no-renames', from, to]);
  const changes = new Map<string, RawChange>();
  // -z: ":<old mode> <new mode> <old blob> <new blob> <status>" NUL "<path>" NUL, per file.
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const [oldMode, newMode, , newBlob, status] = fields[index].slice(1).split(' ');
    changes.set(fields[index + 1], { raw: fields[index], status, oldMode, newMode, newBlob });
  }
  return changes;
}

export interface LineCounts { insertions: number; deletions: number }

/** Lines added and removed between two revisions (a binary file counts none): the slow part of a diff. */
export async function lineCounts(git: GitClient, from: string, to: string): Promise<LineCounts> {
  const { insertions, deletions } = await diffStats(git, from, to);
  return { insertions, deletions };
}

/** `to` null: the index (what `git add` staged), compared with `from`. */
export async function diffStats(git: GitClient, from: string, to: string | null): Promise<ChangeStats> {
  const files = await diffFiles(git, from, to);
  return {
    files: files.map((change) => change.file),
    insertions: files.reduce((sum, change) => sum + change.insertions, 0),
    deletions: files.reduce((sum, change) => sum + change.deletions, 0),
  };
}

/** One file's share of a diff; a binary file counts no lines. */
export interface FileChange { file: string; insertions: number; deletions: number; binary: boolean; /** A rename's old path. */ from?: string }

export async function diffFiles(git: GitClient, from: string, to: string | null): Promise<FileChange[]> {
  // With -z, a rename is "added\tremoved\t" followed by the old and the new path as two entries.
  const entries = await git.entries(to === null ? ['diff', '--cached', '--numstat', '-z', '--find-renames', from] : ['diff', '--numstat', '-z', '--find-renames', from, to]);
  const changes: FileChange[] = [];
  for (let index = 0; index < entries.length; index++) {
    const [added, removed, file] = entries[index].split('\t');
    if (removed === undefined) continue;
    let path = file;
    let from: string | undefined;
    if (!path) {
      from = entries[index + 1];
      path = entries[index + 2] ?? entries[index + 1];
      index += 2;
    }
    changes.push({ file: path, insertions: Number(added) || 0, deletions: Number(removed) || 0, binary: added === '-', ...(from !== undefined && from !== path ? { from } : {}) });
  }
  return changes;
}

/** Commits reachable from `ref` and from none of `excluded` (`git rev-list ref ^a ^b`), newest first. */
export async function commitsNotIn(git: GitClient, ref: string, excluded: readonly string[]): Promise<string[]> {
  return git.lines(['rev-list', ref, ...excluded.map((commit) => `^${commit}`)]);
}

/** `<short hash> <subject>` of each commit in a range (`a..b`), newest first. */
export async function commitSubjects(git: GitClient, range: string): Promise<string[]> {
  return git.lines(['log', '--format=%h %s', range]);
}

/** Files `to` has that `from` does not (renames count as added). */
export async function filesAddedBetween(git: GitClient, from: string, to: string): Promise<string[]> {
  return git.entries(['diff', '--name-only', '--no-renames', '--diff-filter=A', '-z', from, to, '--']);
}

/** Local branches whose tip contains `commit` (short names). */
export async function branchesContaining(git: GitClient, commit: string): Promise<string[]> {
  return git.lines(['for-each-ref', '--contains', commit, '--format=%(refname:lstrip=2)', 'refs/heads/']);
}
