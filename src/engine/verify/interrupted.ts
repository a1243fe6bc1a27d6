import { describeInterruption, Journal } from '../../state/journal.js';
import { processRuns } from '../../state/lock.js';

/**
 * verify on HEAD judges the working tree as it is. A phasegate command that is still running, or
 * was killed half-way, may have left a half-done transform there: the verdict would be about that,
 * not about HEAD. verify reads the journal only; restoring is left to the commands that do it.
 */
export function interruptedWarning(stateDir: string): string | undefined {
  const entry = new Journal(stateDir).read();
  if (!entry) return undefined;
  if (entry.pid !== process.pid && processRuns(entry.pid)) {
    return `verify: phasegate ${entry.operation} of plan '${entry.plan}' is in progress (pid ${entry.pid}); the working tree may be half-way through it — verify again when it has finished`;
  }
  return `verify: ${describeInterruption(entry)}; the working tree may hold its half-done changes — ` +
    `'phasegate status' shows what is recorded, and the next 'phasegate run' or 'phasegate rollback' restores the last checkpoint`;
}
