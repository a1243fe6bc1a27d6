import path from 'node:path';
import { RefusedError } from '../../errors.js';
import { GitClient } from '../../git/client.js';
import { createRef, createTag } from '../../git/checkpoint.js';
import { baseTag, defaultBranch } from '../../git/names.js';
import { readPlanTags } from '../../git/tags.js';
import { currentBranch, resolveCommit, workingTree } from '../../git/state.js';
import { unattended } from '../decisions.js';
import { Journal } from '../journal.js';
import { RepositoryLock } from '../lock.js';
import { readPlanState } from '../plan-state.js';
import { carryInto, carryRequest } from '../scratch-carry.js';
import { withScratchClone } from '../scratch-clone.js';
import { openPlan, openRepository } from '../session.js';
import { stateDir } from '../state-dir.js';
import { baseTagMessage, recordedBranch } from '../tag-record.js';
import { readHistory } from './history.js';
import { startBranchOf } from './onto.js';
import { attemptRef, publish } from './publish.js';
import { replay, type PhaseOutcome, type Replay } from './replay.js';

/**
 * `phasegate sync <plan>`: rebuild the migration branch on a base that moved. The rebuild happens
 * in a scratch clone; the user's branch and tags move only at the end, all together, and only when
 * every phase passed and every carried commit applied. Otherwise they stay where they were and
 * the attempt is kept on a ref.
 */
export interface SyncOptions {
  cwd: string;
  plan: string;
  onto?: string;
  interactive: boolean;
  signal: AbortSignal;
  notice: (text: string) => void;
  confirm?: (phase: PhaseOutcome) => Promise<boolean>;
}

export interface SyncResult {
  plan: string;
  branch: string;
  onto: string;
  ontoCommit: string;
  phases: PhaseOutcome[];
  /** Branch and tags moved to the rebuild. */
  moved: boolean;
  upToDate: boolean;
  stoppedAt?: string;
  stoppedBy?: Replay['stoppedBy'];
  attemptRef?: string;
  syncedRef?: string;
  newTip?: string;
}

export async function syncPlan(options: SyncOptions): Promise<SyncResult> {
  const repository = await openRepository(options.cwd);
  const planInfo = await openPlan(repository, options.plan, options.cwd);
  const { doc } = planInfo;
  const { git } = repository;
  const lock = new RepositoryLock(repository.stateDir);
  const taken = lock.acquire(`sync ${doc.name}`);
  if (taken.tookOverFrom) options.notice(`took over a lock left by pid ${taken.tookOverFrom.pid} (no longer running)`);
  try {
    if (new Journal(repository.stateDir).read()) {
      throw new RefusedError(`a phasegate run or rollback was interrupted in this repository; run 'phasegate status' and finish it with 'phasegate run' or 'phasegate rollback' before syncing (nothing was changed)`);
    }
    const state = await readPlanState(git, doc);
    if (!state.base) throw new RefusedError(`plan '${doc.name}' has not started here (no tag ${baseTag(doc.name)}): run it first with 'phasegate run ${options.plan}'`);
    if (!state.phases.some((phase) => phase.tag)) throw new RefusedError(`no phase of plan '${doc.name}' is tagged yet: nothing to sync`);
    const here = await currentBranch(git);
    const branch = recordedBranch(state.base) ?? (doc.branch ?? defaultBranch(doc.name));
    const oldTip = await resolveCommit(git, `refs/heads/${branch}`);
    if (!oldTip) throw new RefusedError(`the migration branch ${branch} does not exist: nothing to sync`);
    const checkedOut = here === branch;
    const elsewhere = await worktreeWith(git, branch, repository.root);
    if (elsewhere) throw new RefusedError(`the migration branch ${branch} is checked out in another worktree (${elsewhere}): run phasegate sync there, or switch that worktree to another branch first (nothing was changed)`);
    const tree = await workingTree(git, planInfo.neverStage);
    if (tree.changes.length > 0) {
      throw new RefusedError(`the working tree has uncommitted changes; commit or stash them first:\n${tree.changes.map((line) => `  ${line}`).join('\n')}`);
    }
    const onto = options.onto ?? (await startBranchOf(git, state.base, branch));
    if (!onto) throw new RefusedError(`cannot tell which branch plan '${doc.name}' started from (neither main nor master exists): say it with --onto <ref>`);
    const ontoCommit = await resolveCommit(git, onto);
    if (!ontoCommit) throw new RefusedError(`--onto ${onto}: no such branch, tag or commit`);
    const history = await readHistory(git, state.base, oldTip, state.phases);
    const carry = await carryRequest(git, repository.root, doc, [], options.cwd);
    const identity = await userIdentity(git);
    const when = new Date();
    const startBranch = await startBranchOf(git, state.base, branch) ?? null;

    const result: SyncResult = { plan: doc.name, branch, onto, ontoCommit, phases: [], moved: false, upToDate: false };
    options.notice(`syncing plan '${doc.name}': replaying ${history.phases.length} tagged phase(s) of ${branch} on ${onto} (${ontoCommit.slice(0, 10)}) in a scratch clone`);
    await withScratchClone(repository.root, ontoCommit, 'phasegate-sync', async (cloneRoot) => {
      const clone = new GitClient(cloneRoot, identity);
      // The clone starts fresh: its copies of the plan's tags would make the replay a resume.
      for (const tag of (await readPlanTags(clone, doc.name)).values()) await clone.run(['tag', '-d', tag.name]);
      await carryInto(repository.root, cloneRoot, clone, carry, options.notice);
      await createTag(clone, baseTag(doc.name), ontoCommit, baseTagMessage(doc.name, branch, startBranch));
      const session = {
        root: cloneRoot, git: clone, stateDir: await stateDir(clone), ...planInfo, neverStage: [...carry],
        journal: new Journal(await stateDir(clone)), decisions: unattended, signal: options.signal, branch: 'phasegate-sync',
        env: { PHASEGATE_PLAN: doc.name }, interactive: options.interactive, warnings: [], stopped: false,
      };
      const replayed = await replay(session, history, { confirm: options.confirm, oldBase: state.base!.commit });
      result.phases = replayed.phases;
      result.stoppedAt = replayed.stoppedAt;
      result.stoppedBy = replayed.stoppedBy;
      if (replayed.stoppedAt) {
        result.attemptRef = await keepAttempt(git, cloneRoot, replayed.attempt, attemptRef(doc.name, when));
        return;
      }
      if (ontoCommit === state.base!.commit && replayed.phases.every((phase) => phase.outcome === 'same')) {
        result.upToDate = true;
        return;
      }
      try {
        const published = await publish(git, cloneRoot, { plan: doc.name, branch, oldTip, phases: history.phases.map((segment) => segment.state.phase.id), checkedOut, when });
        Object.assign(result, { moved: true, syncedRef: published.synced, newTip: published.newTip });
      } catch (error) {
        result.attemptRef = await keepAttempt(git, cloneRoot, replayed.attempt, attemptRef(doc.name, when)).catch(() => undefined);
        throw new RefusedError(`the rebuild succeeded but could not be put in place: ${(error as Error).message}; ` +
          `${branch} and its tags are unchanged${result.attemptRef ? `, the rebuilt branch is kept at ${result.attemptRef}` : ''}`);
      }
    }, 'sync');
    return result;
  } finally {
    lock.release();
  }
}

/** Fetch the attempt's commit from the clone (its new objects live there) onto a new ref. */
async function keepAttempt(git: GitClient, cloneRoot: string, commit: string, ref: string): Promise<string> {
  const carrier = 'refs/phasegate-sync/attempt';
  await new GitClient(cloneRoot).run(['update-ref', carrier, commit]);
  await git.run(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', cloneRoot, carrier]);
  return createRef(git, ref, commit, 'phasegate sync: the attempted rebuild');
}

/** Commits made in the clone carry the user's identity (a clone does not copy local config). */
async function userIdentity(git: GitClient): Promise<string[]> {
  const value = async (key: string) => (await git.run(['config', '--get', key]).catch(() => '')).trim();
  const [name, email] = await Promise.all([value('user.name'), value('user.email')]);
  return [`user.name=${name || 'phasegate'}`, `user.email=${email || 'phasegate@localhost'}`];
}

/** Another worktree that has `branch` checked out (moving it would leave that tree behind its branch). */
async function worktreeWith(git: GitClient, branch: string, root: string): Promise<string | undefined> {
  const blocks = (await git.run(['worktree', 'list', '--porcelain'])).split('\n\n');
  for (const block of blocks) {
    const lines = block.split('\n');
    const where = lines.find((line) => line.startsWith('worktree '))?.slice('worktree '.length);
    if (where && lines.includes(`branch refs/heads/${branch}`) && path.resolve(where) !== path.resolve(root)) return where;
  }
  return undefined;
}
