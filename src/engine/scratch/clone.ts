import { rm } from 'node:fs/promises';
import path from 'node:path';
import { GitClient } from '../../git/client.js';
import { failpoint } from '../failpoint.js';
import { makeScratchFolder, removeDeadScratch } from './folder.js';

/**
 * A throwaway clone for --dry-run and rehearse. It shares the repository's objects (no copying)
 * but has its own refs, tags, index, lock and journal, so nothing phasegate does in it can reach
 * the user's branches or tags. Removed afterwards, also on failure or Ctrl-C.
 */
export async function withScratchClone<T>(root: string, commit: string, branch: string, work: (cloneRoot: string) => Promise<T>, label = 'scratch'): Promise<T> {
  const [dir] = await Promise.all([makeScratchFolder(label), removeDeadScratch()]);
  const cloneRoot = path.join(dir, 'repo');
  try {
    // Its commits and tags are thrown away: nothing to sign, and a signer that asks must not stop a trial.
    const unsigned = ['commit.gpgsign', 'tag.gpgsign', 'tag.forceSignAnnotated'].flatMap((key) => ['--config', `${key}=false`]);
    // No automatic gc: it would pack the clone's new objects behind sync's back while it brings
    // them into the repository (adopt-objects.ts), and a clone about to be removed gains nothing.
    const noGc = ['--config', 'gc.auto=0', '--config', 'maintenance.auto=false'];
    // A repository shared with a group: the clone's objects (which sync links into it) get the modes git gives them there.
    const shared = (await new GitClient(root).run(['config', '--get', 'core.sharedRepository']).catch(() => '')).trim();
    const sharing = shared ? ['--config', `core.sharedRepository=${shared}`] : [];
    await new GitClient(dir).run(['clone', '--quiet', '--shared', '--no-checkout', ...unsigned, ...noGc, ...sharing, root, cloneRoot]);
    const clone = new GitClient(cloneRoot);
    // Writing every tracked file is most of a clone's cost in a large repository; git's parallel
    // checkout (one worker per core) halves it on two cores.
    await clone.run(['-c', 'checkout.workers=0', 'checkout', '--quiet', '-B', branch, commit]);
    failpoint('scratch-ready');
    return await work(cloneRoot);
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
