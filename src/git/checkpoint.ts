import { copyFile, mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GitClient } from './client.js';
import { tagRef } from './names.js';
import { gitPaths, indexFile } from './paths.js';
import { signsCommits } from './signing.js';
import { changedPaths, headCommit } from './state.js';

/** Writing checkpoints: commits, tags and the refs that keep failed or undone work reachable. */

/** Exclude pathspecs for files phasegate must never commit on the user's behalf (an untracked plan). */
function pathspec(exclude: readonly string[]): string[] {
  return ['--', '.', ...exclude.map((file) => `:(exclude,literal)${file}`)];
}

export async function stageAll(git: GitClient, exclude: readonly string[] = []): Promise<void> {
  await git.run(['add', '-A', ...pathspec(exclude)]);
}

/** Stage everything and return the tree it makes, without committing. */
export async function stagedTree(git: GitClient, exclude: readonly string[] = []): Promise<string> {
  await stageAll(git, exclude);
  return (await git.run(['write-tree'])).trim();
}

/**
 * The working tree as a tree object, through a scratch copy of the index: the real index and the
 * working tree stay exactly as they were (a `run` step after this one sees what it would have
 * seen). Copying the index keeps its stat data, so git hashes only the files that changed.
 */
export async function workingTreeSnapshot(git: GitClient, exclude: readonly string[] = []): Promise<string> {
  // Named with the pid, as scratch folders are (engine/scratch/folder.ts): after a kill -9 the next command removes it.
  const dir = await mkdtemp(path.join(os.tmpdir(), `phasegate-index-${process.pid}-`));
  try {
    const index = path.join(dir, 'index');
    const real = indexFile(await gitPaths(git));
    await copyFile(real, index).catch(() => undefined); // no index yet: git starts an empty one
    const env = { GIT_INDEX_FILE: index };
    await git.run(['add', '-A', ...pathspec(exclude)], { env });
    return (await git.run(['write-tree'], { env })).trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function changedBetweenTrees(git: GitClient, from: string, to: string): Promise<string[]> {
  if (from === to) return [];
  return git.entries(['diff-tree', '-r', '-z', '--name-only', '--no-renames', from, to]);
}

/**
 * Commit everything in the working tree as one checkpoint commit. No hook runs (the client turns
 * them all off; `--no-verify` says so here too): the plan's checks are the validation, and a
 * user's hook must not rewrite a checkpoint. With it, the files the commit changed since `from`
 * (a rename as its new path), listed by a second git process. Line counts are not asked for here: `--numstat` takes git longer than the
 * commit at thousands of files, and only a person reads them (the caller counts them when one
 * will, see lineCounts). When nothing else will touch the index until the list is read
 * (`indexStays`), it lists the index `git add` has just written, side by side with the commit.
 * Otherwise (a check's command may stage files meanwhile) it compares the commit with `from` once
 * the commit is made: two trees nothing can change.
 */
export async function commitAllWithFiles(git: GitClient, message: string, exclude: readonly string[], from: string, { indexStays, staged = false, parent }: { indexStays: boolean; staged?: boolean; parent?: string }): Promise<{ commit: string; files: Promise<string[]> }> {
  // `staged`: the index holds every change already (streamed-staging.ts).
  if (!staged) await stageAll(git, exclude);
  const early = indexStays ? changedPaths(git, from, null) : undefined;
  // Awaited by the caller when it needs the list; a failed commit must not leave it unhandled.
  early?.catch(() => undefined);
  const commit = await commitIndex(git, message, parent);
  const files = early ?? changedPaths(git, from, commit);
  files.catch(() => undefined);
  return { commit, files };
}

/**
 * Commit the index on HEAD as `git commit` does, without the refresh `git commit` starts with: it
 * compares every tracked file with the index, and reads in full each file a step wrote in the same
 * second as the index (git's "racily clean" rule): 25–110 ms at 5,000 written files, for a commit
 * of the same tree.
 */
async function commitIndex(git: GitClient, message: string, knownParent?: string): Promise<string> {
  const [tree, parent, sign] = await Promise.all([
    indexTree(git),
    // Known when nothing but phasegate can have moved HEAD; update-ref refuses to move it from anywhere else either way.
    knownParent ?? headCommit(git),
    signsCommits(git),
  ]);
  return commitAsHead(git, tree, parent, message, sign);
}

/**
 * The tree the index makes, written from a scratch copy of it. `git write-tree` rewrites the index
 * it reads, and before that re-reads in full every file whose time stamp is not older than that
 * index's (git's "racily clean" rule): the files a step has just written, ~100 ms for 5,000 of them
 * at 20,000 files. Which entries count as racy depends only on the index file's own time, so the
 * copy is dated a day ahead: none does. The tree depends on the entries alone, never on the files;
 * the real index is left as the staging wrote it. The copy sits beside the index (a run needs no
 * TMPDIR), named with the pid: after a kill -9, the command that takes over removes it.
 */
async function indexTree(git: GitClient): Promise<string> {
  const paths = await gitPaths(git);
  const { gitDir } = paths;
  const copy = scratchIndexPath(gitDir, process.pid);
  try {
    await copyFile(indexFile(paths), copy);
    const ahead = new Date(Date.now() + 24 * 60 * 60 * 1000);
    await utimes(copy, ahead, ahead);
    return (await git.run(['write-tree'], { env: { GIT_INDEX_FILE: copy } })).trim();
  } finally {
    await removeScratchIndex(gitDir, process.pid);
  }
}

/** Where process `pid` keeps its scratch copy of the index while it writes a checkpoint's tree. */
function scratchIndexPath(gitDir: string, pid: number): string {
  return path.join(gitDir, `phasegate-index-${pid}`);
}

/** Remove the scratch index of process `pid` (this one, or a dead phasegate's), and git's lock on it. */
export async function removeScratchIndex(gitDir: string, pid: number): Promise<void> {
  const copy = scratchIndexPath(gitDir, pid);
  await Promise.all([rm(copy, { force: true }), rm(`${copy}.lock`, { force: true })]);
}

/**
 * The commit `git commit` records — `tree` on `parent`, the message verbatim, signed when `sign`,
 * a reflog entry `commit: <subject>` — made with commit-tree. HEAD (its branch, or a detached HEAD)
 * moves only if it is still `parent`.
 */
export async function commitAsHead(git: GitClient, tree: string, parent: string, message: string, sign: boolean): Promise<string> {
  const text = message.endsWith('\n') ? message : `${message}\n`;
  const commit = (await git.run(['commit-tree', ...(sign ? ['-S'] : []), tree, '-p', parent, '-F', '-'], { input: text })).trim();
  await git.run(['update-ref', '-m', `commit: ${text.split('\n')[0]}`, 'HEAD', commit, parent]);
  return commit;
}

/** Fold whatever is in the working tree into the last commit (a fix made by hand during a phase). */
export async function amendWithWorkingTree(git: GitClient, exclude: readonly string[] = []): Promise<string> {
  await stageAll(git, exclude);
  await git.run(['commit', '--quiet', '--no-verify', '--amend', '--no-edit', '--allow-empty']);
  return (await git.run(['rev-parse', 'HEAD'])).trim();
}

/** Annotated tag; the message (results as JSON) goes through stdin so its size never hits argv limits. */
export async function createTag(git: GitClient, name: string, commit: string, message: string, { force = false } = {}): Promise<void> {
  await git.run(['tag', '--annotate', ...(force ? ['--force'] : []), '--cleanup=verbatim', '--file', '-', name, commit], { input: message });
}

export async function deleteTag(git: GitClient, name: string): Promise<void> {
  await git.run(['update-ref', '-d', tagRef(name)]);
}

/** Delete tags in one transaction; if that fails (one is gone already), one by one, ignoring failures. */
export async function deleteTagsQuietly(git: GitClient, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  try {
    await git.run(['update-ref', '--stdin'], { input: names.map((name) => `delete ${tagRef(name)}\n`).join('') });
  } catch {
    for (const name of names) await deleteTag(git, name).catch(() => undefined);
  }
}

export async function updateRef(git: GitClient, ref: string, commit: string, reason = 'phasegate'): Promise<void> {
  // git keeps no reflog for refs outside refs/heads by default; the reason and time of a failed or
  // undone attempt live there (`phasegate status` reads them back, see engine/attempts.ts).
  await git.run(['update-ref', '--create-reflog', '-m', reason, ref, commit]);
}

/** Several refs in one transaction (one git process): all are set or none. */
export async function updateRefs(git: GitClient, refs: readonly { ref: string; commit: string }[], reason = 'phasegate'): Promise<void> {
  if (refs.length === 0) return;
  await git.run(['update-ref', '--create-reflog', '-m', reason, '--stdin'], { input: refs.map(({ ref, commit }) => `update ${ref} ${commit}\n`).join('') });
}

export async function deleteRef(git: GitClient, ref: string): Promise<void> {
  await git.run(['update-ref', '-d', ref]);
}

/**
 * Record the working tree as a commit (parent: HEAD) so that half-done work can be kept on a ref.
 * It goes through the real index: callers reset the tree right afterwards anyway.
 */
export async function snapshotWorkingTree(git: GitClient, message: string, exclude: readonly string[] = [], alsoKeep?: string): Promise<string> {
  const tree = await stagedTree(git, exclude);
  // `alsoKeep` (a commit HEAD was moved away from) becomes a second parent, so it stays reachable too.
  const head = (await git.run(['rev-parse', 'HEAD'])).trim();
  const parents = alsoKeep && alsoKeep !== head ? [head, alsoKeep] : [head];
  return (await git.run(['commit-tree', tree, ...parents.flatMap((parent) => ['-p', parent]), '-m', message])).trim();
}

/**
 * Keep files that are about to be removed: a commit (parent HEAD) whose tree is HEAD's plus those
 * files, on a new ref. Built in a scratch index, so the real one is untouched and a crash half-way
 * leaves nothing staged that a later `reset --hard` would delete unkept.
 */
export async function commitFilesOnNewRef(git: GitClient, files: readonly string[], ref: string, message: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `phasegate-keep-${process.pid}-`));
  try {
    const scratch = git.withIndexFile(path.join(dir, 'index'));
    await scratch.run(['read-tree', 'HEAD']);
    await scratch.run(['update-index', '--add', '-z', '--stdin'], { input: files.map((file) => `${file}\0`).join('') });
    const tree = (await scratch.run(['write-tree'])).trim();
    const commit = (await git.run(['commit-tree', tree, '-p', 'HEAD', '-m', message])).trim();
    return createRef(git, ref, commit, message.split('\n')[0]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Create `ref` (or `ref-2`, `ref-3`… when it exists): a kept commit never replaces another. */
export async function createRef(git: GitClient, ref: string, commit: string, reason = 'phasegate'): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const name = attempt === 1 ? ref : `${ref}-${attempt}`;
    // An empty old value: only if the ref does not exist yet.
    if (await git.succeeds(['update-ref', '-m', reason, name, commit, ''])) return name;
    if (attempt >= 20) throw new Error(`could not create ${ref}: refs up to ${name} exist or cannot be written`);
  }
}

/** A commit of `tree` on top of `parent`, made without touching the index or the working tree. */
export async function commitTreeOn(git: GitClient, tree: string, parent: string, message: string): Promise<string> {
  return (await git.run(['commit-tree', tree, '-p', parent, '-m', message])).trim();
}
