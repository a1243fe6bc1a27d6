import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { RefusedError } from '../../errors.js';
import { createRef, snapshotWorkingTree } from '../../git/checkpoint.js';
import type { GitClient } from '../../git/client.js';
import { untrackedInTheWay } from '../../git/in-the-way.js';
import { discardedRef, syncAttemptRef, syncReplayFailedRef, syncReplayPrefix, syncReplayTagRef } from '../../git/names.js';
import { resetTo } from '../../git/restore.js';
import { headCommit, resolveCommit, uncommittedChanges } from '../../git/state.js';
import { Journal, type SyncEntry } from '../../state/journal.js';
import { failpoint } from '../failpoint.js';
import type { OperationContext } from '../session.js';
import { attachHead } from './publish.js';

/**
 * A sync replayed in the user's own repository instead of a scratch clone. A clone writes every
 * tracked file (1.5–2.5 s at 20,000 files) and removes them afterwards (~0.8 s): a fresh `run`
 * pays neither. When the migration branch is checked out and clean, the replay detaches HEAD at
 * the new base (a tree switch writes only the files that differ), replays there, and the
 * publication puts HEAD back on the branch, which moves to the working tree's commit.
 *
 * Until the publication nothing of the user's moves: HEAD is detached, the branch and its tags
 * stay where they were, the replay's tags and failed work wait under `sync-replay/`, and its
 * run journal is a file of its own (the sync's journal says `replay-in-place`). Undone (a failure,
 * a conflict, Ctrl-C, or a kill -9 found by the next command), HEAD goes back on the branch, the
 * working tree to its old tip (files the replay created kept on a ref, then removed; files that
 * were untracked before the sync never touched), and the replay's refs go.
 */

/** Why the replay cannot run in place (the scratch clone is used then), or undefined when it can. */
export async function inPlaceBlocker(git: GitClient, what: {
  checkedOut: boolean; carry: readonly string[]; untracked: readonly string[]; oldBase: string; oldTip: string; ontoCommit: string;
}): Promise<string | undefined> {
  if (!what.checkedOut) return 'the migration branch is not checked out here';
  if (what.carry.length > 0) return 'the plan carries ignored paths into a scratch clone';
  // What run protects one by one (working-tree.ts): a long list is a tree to leave alone.
  if (what.untracked.length > MAX_UNTRACKED) return `${what.untracked.length} untracked files`;
  // A rule that changes would make an ignored file of the user's untracked (and committed by a phase) or the reverse.
  const ignoreRules = ['--', ':(glob).gitignore', ':(glob)**/.gitignore'];
  const [rulesMoved, rulesOnBranch, skipped] = await Promise.all([
    git.entries(['diff-tree', '-r', '-z', '--name-only', what.oldTip, what.ontoCommit, ...ignoreRules]),
    git.entries(['diff-tree', '-r', '-z', '--name-only', what.oldBase, what.oldTip, ...ignoreRules]),
    git.entries(['ls-files', '-t', '-z']).then((entries) => entries.some((entry) => entry.startsWith('S '))),
  ]);
  if (rulesMoved.length > 0 || rulesOnBranch.length > 0) return 'a .gitignore differs between the migration branch and the new base';
  if (skipped) return 'a sparse checkout (or skip-worktree files)';
  // The switch to the new base would overwrite them; the clone's publication refuses as before.
  if ((await untrackedInTheWay(git, what.oldTip, what.ontoCommit)).length > 0) return 'untracked or ignored files are where the new base has tracked ones';
  return undefined;
}

const MAX_UNTRACKED = 1000;

/** Settings for the replay's git: its commits and tags unsigned, as in a scratch clone, and no gc while it works. */
export const REPLAY_CONFIG = ['commit.gpgsign=false', 'tag.gpgsign=false', 'tag.forceSignAnnotated=false', 'gc.auto=0', 'maintenance.auto=false'];

/** The replay's own run journal (PhaseRun writes one per phase): never the sync's. */
export function replayJournal(stateDir: string): Journal {
  return new Journal(replayStateDir(stateDir));
}

/** The replay's own corner of `.git/phasegate`: its run journal and command logs, removed with its refs. */
export function replayStateDir(stateDir: string): string {
  return path.join(stateDir, 'sync-replay');
}

export function refsAside(plan: string) {
  return { tag: (phase: string) => syncReplayTagRef(plan, phase), failed: (phase: string) => syncReplayFailedRef(plan, phase) };
}

/** Journal first, then HEAD detached at the new base: the working tree follows, only the files that differ. */
export async function switchToNewBase(git: GitClient, journal: Journal, entry: SyncEntry, ontoCommit: string, stateDir: string): Promise<void> {
  mkdirSync(replayStateDir(stateDir), { recursive: true });
  journal.write(entry);
  failpoint('sync-before-switch');
  // Every file the migration changed is written back as the new base has it: git's parallel
  // checkout (one worker per core) writes them side by side, as for a scratch clone.
  await git.run(['-c', 'checkout.workers=0', 'checkout', '--quiet', '--detach', ontoCommit, '--']);
  failpoint('sync-after-switch');
}

/**
 * Back to where the sync started: HEAD on the branch at its old tip, the working tree with it,
 * the replay's refs and journal gone. `keepAttempt`: keep what the replay had done on a
 * `sync-attempt` ref first (a recovery; the sync keeps its attempt itself). Safe to run twice.
 */
export async function putBackInPlace(context: OperationContext, entry: SyncEntry, stateDir: string, { keepAttempt }: { keepAttempt: boolean }): Promise<string[]> {
  const { git } = context;
  const keep = [...new Set([...context.neverStage, ...entry.protected])];
  const notes: string[] = [];
  const here = (await git.run(['symbolic-ref', '-q', 'HEAD']).catch(() => '')).trim();
  if (here && here !== `refs/heads/${entry.branch}`) {
    throw new RefusedError(`the interrupted sync replayed on a detached HEAD, but HEAD is now on ${here.replace(/^refs\/heads\//, '')}: ` +
      `switch back with 'git checkout -f ${entry.branch}' and run again`);
  }
  if (!here) {
    if (keepAttempt) {
      const kept = await keepReplayAttempt(git, entry, keep).catch(() => undefined);
      if (kept) notes.push(`the interrupted rebuild is kept at ${kept}`);
    }
    await attachHead(git, entry.branch);
  }
  failpoint('sync-before-put-back');
  const tip = (await resolveCommit(git, `refs/heads/${entry.branch}`)) ?? entry.oldTip;
  const message = `${entry.plan}: files an interrupted sync's replay created, removed when it was undone\n`;
  const reset = await resetTo(git, tip, { keep, ref: discardedRef(entry.plan, new Date()), message });
  if (reset.keptAt) notes.push(`files the replay had written are kept at ${reset.keptAt}`);
  await dropReplayRefs(git, entry.plan, stateDir);
  notes.unshift(`${entry.branch} and its tags are as they were before the sync, checked out again`);
  return notes;
}

/** The replay's work (its commits, and what it had not committed) on a sync-attempt ref. */
async function keepReplayAttempt(git: GitClient, entry: SyncEntry, keep: readonly string[]): Promise<string | undefined> {
  const dirty = (await uncommittedChanges(git, keep)).length > 0;
  const attempt = dirty
    ? await snapshotWorkingTree(git, `${entry.plan}: an interrupted sync's replay (uncommitted work)\n`, keep)
    : await headCommit(git);
  if (attempt === entry.oldTip) return undefined;
  return createRef(git, syncAttemptRef(entry.plan, new Date()), attempt, 'phasegate sync: the interrupted rebuild');
}

/** The replay's tags and failed refs, and its run journal: gone once the sync is published or undone. */
export async function dropReplayRefs(git: GitClient, plan: string, stateDir: string): Promise<void> {
  const refs = await git.lines(['for-each-ref', '--format=%(refname)', `${syncReplayPrefix(plan)}/`]);
  if (refs.length > 0) await git.run(['update-ref', '--stdin'], { input: refs.map((ref) => `delete ${ref}\n`).join('') });
  rmSync(replayStateDir(stateDir), { recursive: true, force: true });
}
