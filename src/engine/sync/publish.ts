import { adoptObjects } from '../../git/adopt-objects.js';
import { untrackedInTheWay } from '../../git/in-the-way.js';
import { GitClient } from '../../git/client.js';
import { baseTag, phaseTag, syncedPrefix, syncReplayTagRef, tagRef } from '../../git/names.js';
import type { RefMove } from '../../state/journal.js';
import { failpoint } from '../failpoint.js';
import { firstFew } from '../../words.js';

/**
 * Bring the rebuilt branch and tags from the scratch clone into the user's repository, and move
 * them there in one `update-ref` transaction: the branch, the base tag and every phase tag move
 * together (or nothing moves, if anything changed them meanwhile), and the old tags and tip stay
 * reachable under `refs/phasegate/<plan>/synced/<time>/`. When the migration branch is checked
 * out, the working tree follows it (it was clean: sync refuses a dirty tree up front).
 */
export interface Publication {
  plan: string;
  branch: string;
  oldTip: string;
  phases: string[];
  /** The migration branch is HEAD in the user's repository. */
  checkedOut: boolean;
  when: Date;
  /** Phases kept without a tag (guided keep): their old tags go, kept under synced/ like the others. */
  untagged?: string[];
  /** Told every ref that is about to move, before anything in the user's repository changes (the journal). */
  beforeMove?: (newTip: string, moves: RefMove[]) => void;
}

const cloneBranchRef = 'refs/heads/phasegate-sync';

/**
 * `cloneRoot`: the scratch clone the rebuild was made in; undefined when it was made in place
 * (in-place.ts): then its objects are here already, its tip is the detached HEAD, its tags wait
 * under `sync-replay/`, and the working tree already holds the new tip, so only HEAD is put back
 * on the branch before the branch moves to it.
 */
export async function publish(git: GitClient, cloneRoot: string | undefined, what: Publication): Promise<{ synced: string; newTip: string }> {
  const names = ['base', ...what.phases];
  const tagRefOf = planTagRef(what.plan);
  // The rebuild's objects first, so that every ref moved below points at something readable here.
  if (cloneRoot) await adoptObjects(git, cloneRoot);
  failpoint('sync-before-publish');
  const [newTip, ...newTags] = cloneRoot
    ? await objectsOf(new GitClient(cloneRoot), [cloneBranchRef, ...names.map(tagRefOf)])
    : await objectsOf(git, ['HEAD', ...names.map((name) => syncReplayTagRef(what.plan, name))]);
  const oldTags = await objectsOf(git, names.map(tagRefOf));
  const untagged = what.untagged ?? [];
  const untaggedOld = await objectsOf(git, untagged.map(tagRefOf));
  const synced = syncedPrefix(what.plan, what.when);
  const moves: RefMove[] = [
    { ref: `refs/heads/${what.branch}`, old: what.oldTip, new: newTip },
    ...names.map((name, index) => ({ ref: tagRefOf(name), old: oldTags[index], new: newTags[index] })),
    ...untagged.map((name, index) => ({ ref: tagRefOf(name), old: untaggedOld[index], new: null })),
    ...keptAsSynced(synced, what.oldTip, [...names, ...untagged], [...oldTags, ...untaggedOld]),
  ];
  const lines = moves.map(updateLine);
  if (what.checkedOut && cloneRoot) await refuseIgnoredInTheWay(git, what.oldTip, newTip);
  what.beforeMove?.(newTip, moves);
  failpoint('sync-before-move');

  // The working tree first, as a two-tree merge: files the rebuild did not change are not touched,
  // and an untracked file in the way stops it before anything is overwritten or any ref moves.
  // In place the working tree holds the rebuild already: HEAD goes back on the branch (still at
  // its old tip for a moment, as after the two-tree merge), and the transaction below moves it.
  if (what.checkedOut && cloneRoot) await git.run(['read-tree', '-u', '-m', what.oldTip, newTip]);
  if (!cloneRoot) await attachHead(git, what.branch);
  failpoint('sync-after-worktree');
  try {
    await git.run(['update-ref', '-m', `phasegate sync ${what.plan}`, '--stdin'], { input: lines.map((line) => `${line}\n`).join('') });
  } catch (error) {
    if (what.checkedOut) await git.run(['read-tree', '-u', '-m', newTip, what.oldTip]).catch(() => undefined);
    throw error;
  }
  return { synced, newTip };
}

/**
 * A sync that stopped (a phase failed, a carried commit conflicted, the person stopped it) moved
 * nothing, and keeps what the branch and tags were under `synced/<time>/` all the same, as a
 * published sync does (SPEC): the pre-sync state has one place, whatever the sync came to.
 * `phases`: the tagged phases the sync replayed. Returns the `synced/<time>` prefix.
 */
export async function keepPreSync(git: GitClient, what: { plan: string; branch: string; phases: string[]; when: Date }): Promise<string> {
  const names = ['base', ...what.phases];
  const [oldTip, ...oldTags] = await objectsOf(git, [`refs/heads/${what.branch}`, ...names.map(planTagRef(what.plan))]);
  const synced = syncedPrefix(what.plan, what.when);
  const lines = keptAsSynced(synced, oldTip, names, oldTags).map(updateLine);
  await git.run(['update-ref', '-m', `phasegate sync ${what.plan}: stopped, the branch and tags as they were`, '--stdin'], { input: lines.map((line) => `${line}\n`).join('') });
  return synced;
}

const planTagRef = (plan: string) => (name: string) => tagRef(name === 'base' ? baseTag(plan) : phaseTag(plan, name));

/** The refs under `synced/<time>/` that keep the old tip (`branch.tip`) and each old tag object (named `base` or by phase). */
function keptAsSynced(synced: string, oldTip: string, names: readonly string[], oldTags: readonly string[]): RefMove[] {
  return [{ ref: `${synced}/branch.tip`, old: null, new: oldTip }, ...names.map((name, index) => ({ ref: `${synced}/${name}`, old: null, new: oldTags[index] }))];
}

function updateLine(move: RefMove): string {
  return move.old === null ? `create ${move.ref} ${move.new}` : move.new === null ? `delete ${move.ref} ${move.old}` : `update ${move.ref} ${move.new} ${move.old}`;
}

/** HEAD back on the branch, without touching the index or the working tree. */
export async function attachHead(git: GitClient, branch: string): Promise<void> {
  await git.run(['symbolic-ref', '-m', 'phasegate sync: back on the migration branch', 'HEAD', `refs/heads/${branch}`]);
}

/** Each ref's object (a tag's own object for an annotated tag), in one process. */
async function objectsOf(git: GitClient, refs: readonly string[]): Promise<string[]> {
  if (refs.length === 0) return [];
  // `--`: each is a revision, never a path; git fails on any that does not exist.
  const objects = (await git.run(['rev-parse', ...refs, '--'])).split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line));
  if (objects.length !== refs.length) throw new Error(`could not read ${refs.join(', ')}`);
  return objects;
}

/** The move's `read-tree -u -m` would replace an ignored file silently: refused before anything changed. */
async function refuseIgnoredInTheWay(git: GitClient, oldTip: string, newTip: string): Promise<void> {
  const inTheWay = await untrackedInTheWay(git, oldTip, newTip);
  if (inTheWay.length > 0) {
    throw new Error(`untracked or ignored file(s) where the rebuild has tracked ones would be overwritten: ${firstFew(inTheWay, 5)}; move them away and sync again`);
  }
}
