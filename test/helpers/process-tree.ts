import { execFileSync } from 'node:child_process';

/**
 * A process and everything it started, for tests that must leave no process behind. phasegate
 * starts each check in a process group (and session) of its own, so killing the CLI or its group
 * does not reach a check's `sleep`: the tree is found by parent pid instead, before anything is
 * killed (an orphan's parent becomes init and it would drop out of the tree).
 */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  const listing = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  for (const line of listing.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (!pid || Number.isNaN(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** SIGKILL `root` and all its descendants. */
export function killTree(root: number | undefined): void {
  if (!root) return;
  for (const pid of processTree(root)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** A process is running (a zombie waiting for its parent to reap it is not: it was killed). */
export function isRunning(pid: number): boolean {
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return state !== '' && !state.startsWith('Z');
  } catch {
    return false; // ps exits 1 when there is no such process
  }
}
