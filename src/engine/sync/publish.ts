import type { GitClient } from '../../git/client.js';
import { baseTag, tagRef, timeStamp } from '../../git/names.js';
import type { RefMove } from '../../state/journal.js';
import { failpoint } from '../failpoint.js';

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

export const syncedPrefix = (plan: string, when: Date) => `refs/phasegate/${plan}/synced/${timeStamp(when)}`;
export const attemptRef = (plan: string, when: Date) => `refs/phasegate/${plan}/sync-attempt/${timeStamp(when)}`;

export async function publish(git: GitClient, cloneRoot: string, what: Publication): Promise<{ synced: string; newTip: string }> {
  const work = `refs/phasegate/${what.plan}/sync-work/${timeStamp(what.when)}`;
  const names = ['base', ...what.phases];
  await git.run(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', cloneRoot, `+${cloneBranchRef}:${work}/branch`,
    ...names.map((name) => `+${tagRef(`phasegate/${what.plan}/${name}`)}:${work}/tags/${name}`)]);
  const objectOf = async (ref: string) => (await git.run(['rev-parse', '--verify', ref])).trim();
  const newTip = await objectOf(`${work}/branch`);
  const synced = syncedPrefix(what.plan, what.when);
  const moves: RefMove[] = [{ ref: `refs/heads/${what.branch}`, old: what.oldTip, new: newTip }, { ref: `${synced}/branch.tip`, old: null, new: what.oldTip }];
  for (const name of [...names, ...(what.untagged ?? [])]) {
    const tag = tagRef(name === 'base' ? baseTag(what.plan) : `phasegate/${what.plan}/${name}`);
    const old = await objectOf(tag);
    moves.push({ ref: tag, old, new: names.includes(name) ? await objectOf(`${work}/tags/${name}`) : null }, { ref: `${synced}/${name}`, old: null, new: old });
  }
  const lines = moves.map((move) => (move.old === null ? `create ${move.ref} ${move.new}` : move.new === null ? `delete ${move.ref} ${move.old}` : `update ${move.ref} ${move.new} ${move.old}`));
  lines.push(`delete ${work}/branch`, ...names.map((name) => `delete ${work}/tags/${name}`));
  what.beforeMove?.(newTip, moves);
  failpoint('sync-before-move');

  const dropWork = () => git.run(['update-ref', '--stdin'], { input: [`delete ${work}/branch`, ...names.map((name) => `delete ${work}/tags/${name}`)].map((line) => `${line}\n`).join('') }).catch(() => undefined);
  // The working tree first, as a two-tree merge: files the rebuild did not change are not touched,
  // and an untracked file in the way stops it before anything is overwritten or any ref moves.
  try {
    if (what.checkedOut) await git.run(['read-tree', '-u', '-m', what.oldTip, newTip]);
    failpoint('sync-after-worktree');
  } catch (error) {
    await dropWork();
    throw error;
  }
  try {
    await git.run(['update-ref', '-m', `phasegate sync ${what.plan}`, '--stdin'], { input: lines.map((line) => `${line}\n`).join('') });
  } catch (error) {
    if (what.checkedOut) await git.run(['read-tree', '-u', '-m', newTip, what.oldTip]).catch(() => undefined);
    await dropWork();
    throw error;
  }
  return { synced, newTip };
}
