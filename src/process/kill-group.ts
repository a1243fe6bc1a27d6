/**
 * Every process phasegate starts for a step or check leads its own process group, so stopping it
 * (Ctrl-C, a timeout, the step ended) means signalling the whole group: children a shell started
 * would otherwise outlive it. SIGTERM first, SIGKILL for whatever is left after a grace period.
 */
const KILL_GRACE_MS = 1500;

export function killGroup(pid: number | undefined, graceMs = KILL_GRACE_MS): void {
  if (!pid) return;
  if (!signalGroup(pid, 'SIGTERM')) return;
  const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
  timer.unref();
}

/** False when the group is already gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
