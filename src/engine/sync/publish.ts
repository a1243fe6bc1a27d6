import type { GitClient } from '../../git/client.js';
import { baseTag, tagRef, timeStamp } from '../../git/names.js';

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
  const lines = [`update refs/heads/${what.branch} ${newTip} ${what.oldTip}`, `create ${synced}/branch.tip ${what.oldTip}`];
  for (const name of names) {
    const tag = tagRef(name === 'base' ? baseTag(what.plan) : `phasegate/${what.plan}/${name}`);
    const old = await objectOf(tag);
    lines.push(`update ${tag} ${await objectOf(`${work}/tags/${name}`)} ${old}`, `create ${synced}/${name} ${old}`);
  }
  lines.push(`delete ${work}/branch`, ...names.map((name) => `delete ${work}/tags/${name}`));

  const dropWork = () => git.run(['update-ref', '--stdin'], { input: [`delete ${work}/branch`, ...names.map((name) => `delete ${work}/tags/${name}`)].map((line) => `${line}\n`).join('') }).catch(() => undefined);
  // The working tree first, as a two-tree merge: files the rebuild did not change are not touched,
  // and an untracked file in the way stops it before anything is overwritten or any ref moves.
  try {
    if (what.checkedOut) await git.run(['read-tree', '-u', '-m', what.oldTip, newTip]);
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
