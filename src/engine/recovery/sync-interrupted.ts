import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRef, workingTreeSnapshot } from '../../git/checkpoint.js';
import type { GitClient } from '../../git/client.js';
import { discardedRef, syncAttemptRef } from '../../git/names.js';
import { resetTo } from '../../git/restore.js';
import type { JournalEntry, RefMove, SyncEntry } from '../../state/journal.js';
import type { OperationContext } from '../session.js';
import { stateDir } from '../../state/state-dir.js';
import { dropReplayRefs, putBackInPlace } from '../sync/in-place.js';
import { attachHead } from '../sync/publish.js';
import { firstFew } from '../../words.js';

/**
 * A sync that ended before it finished (kill -9, a crash, or an error while moving): its branch and
 * tags end up either all moved (the sync is complete) or all where they were before it — never some
 * of each — and the working tree follows the branch when it is checked out. Before the move began
 * (`replay`), the user's repository was never touched: only the scratch clone and the sync's work
 * refs are cleaned up. Safe to run twice: every step looks at what is there before acting.
 */
export async function finishInterruptedSync(target: OperationContext, entry: JournalEntry & SyncEntry, { inProcess = false } = {}): Promise<string> {
  const { journal } = target;
  // The sync's own clean-up after an error: its scratch clone is removed by withScratchClone, and it keeps the attempt itself.
  if (!inProcess) removeScratch(entry.scratch);
  const state = await stateDir(target.git);
  // Put back in place, the replay's refs go with it; after a publication had begun they go here.
  const notes = entry.stage === 'replay-in-place'
    ? await putBackInPlace(target, entry, state, { keepAttempt: !inProcess })
    : await settleRefs(target, entry, inProcess);
  if (entry.inPlace && entry.stage !== 'replay-in-place') await dropReplayRefs(target.git, entry.plan, state);
  journal.clear();
  return notes.join('; ');
}

async function settleRefs(target: OperationContext, entry: JournalEntry & SyncEntry, inProcess: boolean): Promise<string[]> {
  const { git } = target;
  if (entry.stage !== 'publish' || !entry.moves || !entry.newTip) return [`nothing had moved yet: ${entry.branch} and its tags are as they were before the sync`];
  // In place, HEAD was detached at the rebuild until the publication put it back on the branch;
  // on the branch again it moves with the refs (complete), or the working tree goes back below.
  if (entry.inPlace && !(await headBranch(git))) await attachHead(git, entry.branch);
  const now = await refValues(git, entry.moves.map((move) => move.ref));
  if (entry.moves.every((move) => (now.get(move.ref) ?? null) === move.new)) return [`the branch and every tag had moved: the sync of ${entry.branch} is complete`];
  const kept = inProcess ? undefined : await createRef(git, syncAttemptRef(entry.plan, new Date()), entry.newTip, 'phasegate sync: the interrupted rebuild').catch(() => undefined);
  await putBack(git, entry.moves, now);
  const notes = [`${entry.branch} and its tags are back where they were before the sync`];
  if (kept) notes.push(`the rebuilt branch is kept at ${kept}`);
  if (entry.checkedOut && (await headBranch(git)) === `refs/heads/${entry.branch}`) {
    // In process, publish has put the working tree back itself unless the index still holds the
    // rebuild (its undo failed): a `read-tree` that refused (a file in the way) wrote nothing, and
    // whatever is in the working tree then is the user's.
    if (!inProcess || (await indexIs(git, entry.newTip))) notes.push(...(await workingTreeBack(target, { ...entry, newTip: entry.newTip })));
  }
  return notes;
}

/**
 * What the interrupted move wrote into the working tree goes: every file back to the old tip, files
 * the move created removed. A file that is neither as before nor as the rebuild has it (an edit made
 * meanwhile) is kept on a ref first, with the whole tree; files that were untracked before the move
 * stay (`protected`); ignored files are never looked at.
 */
async function workingTreeBack(target: OperationContext, entry: SyncEntry & { newTip: string }): Promise<string[]> {
  const { git } = target;
  const keep = [...new Set([...target.neverStage, ...entry.protected])];
  const notes: string[] = [];
  const message = `${entry.plan}: the working tree as an interrupted sync left it\n`;
  const tree = await workingTreeSnapshot(git, keep);
  const [fromOld, fromNew] = await Promise.all([entry.oldTip, entry.newTip].map((commit) => git.entries(['diff', '--name-only', '-z', '--no-renames', commit, tree])));
  const neither = fromOld.filter((file) => fromNew.includes(file));
  if (neither.length > 0) {
    const commit = (await git.run(['commit-tree', tree, '-p', entry.oldTip, '-m', message])).trim();
    const kept = await createRef(git, discardedRef(entry.plan, new Date()), commit, message.trim());
    notes.push(`changes made meanwhile (${firstFew(neither, 5)}) are kept at ${kept}`);
  }
  const reset = await resetTo(git, entry.oldTip, { keep, ref: discardedRef(entry.plan, new Date()), message });
  if (reset.keptAt) notes.push(`files the move had written are kept at ${reset.keptAt}`);
  return notes;
}

/** Branch and tags to their values before the sync; the refs the sync created (synced/…) go. All in one transaction. */
async function putBack(git: GitClient, moves: readonly RefMove[], now: Map<string, string>): Promise<void> {
  const lines: string[] = [];
  for (const move of moves) {
    const current = now.get(move.ref) ?? null;
    if (current === move.old) continue;
    if (move.old === null) lines.push(`delete ${move.ref} ${current}`);
    else if (current === null) lines.push(`create ${move.ref} ${move.old}`);
    else lines.push(`update ${move.ref} ${move.old} ${current}`);
  }
  if (lines.length > 0) await git.run(['update-ref', '-m', 'phasegate: undo an interrupted sync', '--stdin'], { input: lines.map((line) => `${line}\n`).join('') });
}

async function refValues(git: GitClient, refs: readonly string[]): Promise<Map<string, string>> {
  const wanted = new Set(refs);
  const lines = await git.lines(['for-each-ref', '--format=%(objectname) %(refname)', ...refs]);
  return new Map(lines.map((line) => line.split(' ') as [string, string]).filter(([, ref]) => wanted.has(ref)).map(([value, ref]) => [ref, value]));
}

async function indexIs(git: GitClient, commit: string): Promise<boolean> {
  return git.succeeds(['diff-index', '--cached', '--quiet', commit, '--']);
}

async function headBranch(git: GitClient): Promise<string | undefined> {
  return (await git.run(['symbolic-ref', '-q', 'HEAD']).catch(() => '')).trim() || undefined;
}

/** Only a folder this sync made: directly in the temp folder, named as withScratchClone names it. */
function removeScratch(scratch: string | undefined): void {
  if (!scratch || path.dirname(scratch) !== os.tmpdir() || !path.basename(scratch).startsWith('phasegate-sync-')) return;
  rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
}
