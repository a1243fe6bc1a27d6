import { RefusedError } from '../errors.js';
import type { GitClient } from './client.js';
import { taggedIndexEntries } from './index-listing.js';
import { firstFew } from '../words.js';

/**
 * A sparse checkout leaves tracked files out of the working tree (git marks them skip-worktree).
 * Transforms would not change them and forbid/require/count would not see them, so a check could
 * pass while the code still holds the pattern. phasegate refuses instead of guessing: the user
 * widens the checkout (or tries the plan with --dry-run, which works on a full clone).
 */
export async function refuseSparseCheckout(git: GitClient, listed: Promise<string[]> = taggedIndexEntries(git)): Promise<void> {
  // `ls-files -v` tags each entry; S is skip-worktree (sparse checkout, or set by hand), s when assume-unchanged too.
  const skipped = (await listed).filter((entry) => /^[Ss] /.test(entry)).map((entry) => entry.slice(2));
  if (skipped.length === 0) return;
  const example = firstFew(skipped);
  const sparse = (await git.run(['config', '--bool', '--default', 'false', 'core.sparseCheckout'])).trim() === 'true';
  throw new RefusedError(sparse
    ? `this is a sparse checkout: ${skipped.length} tracked file(s) are not in the working tree (${example}), so steps would not change them and checks would not see them; run \`git sparse-checkout disable\` first, or try the plan with --dry-run (it works on a full clone)`
    : `${skipped.length} tracked file(s) are marked skip-worktree (${example}), so git would not commit what steps change in them; run \`git update-index --no-skip-worktree\` on them first`);
}

/** Whether `file` (relative to the root, exactly) is among the tagged entries. */
export async function listedIn(entries: Promise<string[]>, file: string): Promise<boolean> {
  return (await entries).some((entry) => entry.slice(2) === file);
}
