import type { Phase } from '../plan/schema.js';
import { runCommandStep } from '../process/command-step.js';

/**
 * A phase's `rollback:` commands, run after git restored a checkpoint (automatic revert or
 * `phasegate rollback`). They run to the end even after Ctrl-C: no abort signal on purpose.
 */
export interface RollbackStepResult { command: string; ok: boolean; detail: string }

export async function runRollbackSteps(phase: Phase | undefined, where: { root: string; env: Record<string, string> }): Promise<RollbackStepResult[]> {
  const results: RollbackStepResult[] = [];
  for (const step of phase?.rollback ?? []) {
    const result = await runCommandStep(step, { cwd: where.root, env: { ...where.env, PHASEGATE_PHASE: phase!.id } });
    results.push({ command: step.run, ok: result.ok, detail: result.ok ? 'ok' : result.verdict });
  }
  return results;
}
