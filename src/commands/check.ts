import type { Command } from '../cli.js';
import { repositoryRoot } from '../engine/session.js';
import { loadPlan } from '../engine/plans/load.js';
import { resolvePlanPath } from '../plan/resolve.js';
import { refuseEscapingRenames } from '../scope/confine.js';

/** `phasegate check <plan>`: validate the plan file only; touches nothing. */
export async function checkCommand(command: Extract<Command, { name: 'check' }>, cwd = process.cwd()): Promise<number> {
  const root = await repositoryRoot(cwd);
  const plan = await loadPlan(resolvePlanPath(command.plan, root, cwd), cwd);
  if (root) await refuseEscapingRenames(plan, root);
  const { phases } = plan.document;
  const steps = phases.reduce((sum, phase) => sum + (phase.transform?.length ?? 0), 0);
  const checks = phases.reduce((sum, phase) => sum + (phase.validate?.filter((check) => !('score' in check)).length ?? 0), 0);
  process.stdout.write(`${plan.displayPath}: ok — plan '${plan.document.name}', ${phases.length} phase(s), ${steps} transform step(s), ${checks} check(s)\n`);
  return 0;
}
