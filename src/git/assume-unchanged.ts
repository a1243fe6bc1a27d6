import { RefusedError } from '../errors.js';
import type { GitClient } from './client.js';
import { taggedIndexEntries } from './index-listing.js';
import { firstFew } from '../words.js';

/**
 * `git update-index --assume-unchanged` tells git to stop looking at a tracked file; people use it
 * to keep a local edit (settings, a secret) out of their commits. phasegate cannot see that edit
 * either: its dirty-tree check would pass, a revert or a rollback would write the committed
 * version over the edit (or stop half-way when git refuses to), and what a step changed in the
 * file would never reach the checkpoint while the checks judged the file on disk. So `run`,
 * `rollback` and `sync` refuse to start while any tracked file carries the flag.
 */
export async function refuseAssumeUnchanged(git: GitClient, listed: Promise<string[]> = taggedIndexEntries(git)): Promise<void> {
  // `ls-files -v` tags such a file in lower case (`h`, `s` when skip-worktree too), once per stage.
  const marked = [...new Set((await listed).filter((entry) => /^[a-z] /.test(entry)).map((entry) => entry.slice(2)))];
  if (marked.length === 0) return;
  throw new RefusedError(`${marked.length} tracked file(s) are marked assume-unchanged (${firstFew(marked)}): git does not look at them, so phasegate could neither commit what a step changes there nor protect what you changed there; nothing was changed: run \`git update-index --no-assume-unchanged <file>\` on them (then commit or stash what you changed there) first`);
}
