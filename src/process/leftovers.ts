import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { RUN_ID_VARIABLE } from '../state/run-id.js';

const GRACE_MS = 1500;

/**
 * Stop the commands a dead phasegate started that are still running (a check that left its
 * process group, or whose group's watchdog was killed too), before the recovery restores files
 * under them: SIGTERM, then SIGKILL after a grace period. Only processes whose environment
 * carries that phasegate's run id are touched. Returns how many there were; without /proc, none.
 */
export async function stopLeftoverCommands(runId: string | undefined): Promise<number> {
  if (!runId || !existsSync('/proc/self/environ')) return 0;
  const marked = () => markedProcesses(`${RUN_ID_VARIABLE}=${runId}`);
  const found = marked();
  if (found.length === 0) return 0;
  signal(found, 'SIGTERM');
  for (let waited = 0; waited < GRACE_MS && marked().length > 0; waited += 50) await sleep(50);
  // Re-read: only what still carries the marker, never a pid that was reused meanwhile.
  signal(marked(), 'SIGKILL');
  return found.length;
}

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // gone already
    }
  }
}

/** Live (not zombie) processes with this entry in their environment. */
function markedProcesses(entry: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'latin1').split('\0');
      if (!environ.includes(entry)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && state !== 'X') found.push(Number(name));
    } catch {
      // exited meanwhile, or another user's
    }
  }
  return found;
}
