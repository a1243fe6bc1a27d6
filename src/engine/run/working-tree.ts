import { RefusedError } from '../../errors.js';
import { workingTree, type WorkingTree } from '../../git/state.js';
import type { PlanInRepository, Repository } from '../session.js';
import { firstFew } from '../../words.js';

const MAX_PROTECTED = 1000;

/**
 * Nothing is lost: a run or rollback refuses to start while tracked files have uncommitted
 * changes (a reset would destroy them). Untracked files — notes, report files, an uncommitted plan —
 * do not block; they are added to `neverStage`, so they are never committed into a phase and
 * never removed by a revert.
 */
export async function protectUntracked(session: Repository & PlanInRepository, notice: (text: string) => void, asked?: WorkingTree): Promise<void> {
  const tree = asked ? without(asked, session.neverStage) : await workingTree(session.git, session.neverStage);
  if (tree.changes.length > 0) {
    throw new RefusedError(`the working tree has uncommitted changes; commit or stash them first:\n${tree.changes.map((line) => `  ${line}`).join('\n')}`);
  }
  if (tree.untracked.length > MAX_PROTECTED) {
    throw new RefusedError(`${tree.untracked.length} untracked files (e.g. ${firstFew(tree.untracked)}): add them to .gitignore, commit or remove them first`);
  }
  if (tree.untracked.length > 0) {
    notice(`leaving ${tree.untracked.length} untracked file(s) alone (never committed, never removed): ${firstFew(tree.untracked, 5)}`);
    session.neverStage.push(...tree.untracked);
  }
}

/** A status asked before `neverStage` was known, read as if asked with it (`workingTree`'s ignore). */
function without(tree: WorkingTree, ignore: readonly string[]): WorkingTree {
  const skip = new Set(ignore);
  return { changes: tree.changes.filter((line) => !skip.has(line.slice(3))), untracked: tree.untracked.filter((file) => !skip.has(file)) };
}
