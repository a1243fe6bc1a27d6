import { expect } from 'vitest';
import { phasegate } from './cli.js';
import { projectFiles, threePhasePlan } from './plans.js';
import { fromTemplate, makeRepo, type TestRepo } from './repo.js';

/** The shop project with its three-phase plan in plans/shop.yaml, committed on main, not run yet. */
export function shopRepo(plan = threePhasePlan({ rollbackLog: '/dev/null' })): TestRepo {
  return makeRepo({ ...projectFiles, 'plans/shop.yaml': plan });
}

/**
 * The shop project after a full `phasegate run shop --yes` (which must succeed): built once per
 * test file and plan, a fresh copy for each test (fromTemplate).
 */
export async function migratedShop(plan?: string): Promise<TestRepo> {
  return fromTemplate(`shop:${plan ?? 'default'}`, async () => {
    const repo = shopRepo(plan);
    const run = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    return repo;
  });
}
