import type { Phase } from '../../plan/schema.js';
import { runCommandStep } from '../../process/command-step.js';

/**
 * A phase's `rollback:` commands, run after git restored a checkpoint (automatic revert or
 * `phasegate rollback`). In an automatic revert they run to the end even after Ctrl-C (no abort
 * signal on purpose: the run is already restoring). `phasegate rollback` passes its signal: there
 * Ctrl-C stops the running step (its process group is killed) and the later ones are not started;
 * each is reported, so the user knows what to do by hand.
 */
export interface RollbackStepResult { command: string; ok: boolean; detail: string }

export async function runRollbackSteps(phase: Phase | undefined, where: { root: string; env: Record<string, string>; signal?: AbortSignal }): Promise<RollbackStepResult[]> {
  const results: RollbackStepResult[] = [];
  for (const step of phase?.rollback ?? []) {
    if (where.signal?.aborted) {
      results.push({ command: step.run, ok: false, detail: 'not run (interrupted)' });
      continue;
    }
    const result = await runCommandStep(step, { cwd: where.root, env: { ...where.env, PHASEGATE_PHASE: phase!.id }, signal: where.signal });
    results.push({ command: step.run, ok: result.ok, detail: result.ok ? 'ok' : result.verdict });
  }
  return results;
}
