import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, copyExample } from '../examples/lib/example-repo.mjs';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';

/**
 * phasegate is not tied to Python: the TypeScript example (examples/ts-app) and its plan — a module
 * move, then an API change by a TypeScript codemod — with `tsc --noEmit` as the gate. The plan runs
 * the compiler named by $TSC: here phasegate's own devDependency, so no network is needed.
 */
const TSC = path.join(ROOT, 'node_modules', '.bin', 'tsc');
const PLAN = 'ts-api-rename';
const TIMEOUT = 120_000;

function tsRepo() {
  const repo = makeRepo();
  copyExample('ts-app', repo.dir, { plans: [PLAN] });
  repo.commitAll('ts-app');
  return repo;
}

describe('the TypeScript example plan', () => {
  it('moves a module and rewrites the logger API end to end, compiling after each phase', async () => {
    const repo = tsRepo();
    const result = await phasegate(['run', PLAN, '--yes'], { cwd: repo.dir, env: { TSC }, timeout: TIMEOUT });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.tags()).toEqual([`phasegate/${PLAN}/base`, `phasegate/${PLAN}/logger-options`, `phasegate/${PLAN}/move-text-utils`]);
    expect(repo.git('status', '--porcelain')).toBe('');

    // Phase 1: the module moved and every import followed.
    expect(repo.exists('src/utils/strings.ts')).toBe(false);
    expect(repo.read('src/lib/text.ts')).toContain('export function slugify');
    expect(repo.read('src/index.ts')).toContain("export { slugify, truncate, titleCase } from './lib/text';");
    expect(repo.read('src/api/users.ts')).toContain("import { slugify, titleCase } from '../lib/text';");

    // Phase 2: calls rewritten to the options object; strings and comments left alone.
    expect(repo.read('src/api/users.ts')).toContain("import { createLogger } from '../lib/logger';\n");
    expect(repo.read('src/api/users.ts')).toContain("const log = createLogger({ name: 'api:users', level: 'debug' });");
    expect(repo.read('src/api/orders.ts')).toContain("import { createLogger, type Level } from '../lib/logger';");
    expect(repo.read('src/api/orders.ts')).toContain("const log = createLogger({ name: 'api:orders', level: verbose });");
    expect(repo.read('src/services/mailer.ts')).toContain("const log = createLogger({ name: `mailer:${region()}`, level: levelFor('mailer') });");
    expect(repo.read('src/cli/report.ts')).toContain("const log = createLogger({ name: 'cli:report', level: 'info' });");
    const invoices = repo.read('src/api/invoices.ts');
    expect(invoices).toContain("// makeLogger('api:invoices') used to be called per request; keep one per module.");
    expect(invoices).toContain("const log = createLogger({ name: 'api:invoices' });");
    const search = repo.read('src/services/search.ts');
    expect(search).toContain(`export const LOGGER_HINT = "makeLogger('search') is deprecated: write createLogger({ name: 'search' })";`);
    expect(search).toContain("const log = createLogger({ name: 'search' });");
    expect(repo.read('src/lib/logger.ts')).not.toContain('makeLogger');

    // And the result compiles, checked independently of the plan's own check.
    expect(() => execFileSync(TSC, ['--noEmit', '-p', 'tsconfig.json'], { cwd: repo.dir, stdio: 'pipe' })).not.toThrow();
  }, TIMEOUT);

  it('without a TypeScript compiler the run is refused before anything changes (exit 2)', async () => {
    const repo = tsRepo();
    const head = repo.head();
    const result = await phasegate(['run', PLAN, '--yes'], { cwd: repo.dir, env: { TSC: '/nonexistent/tsc' } });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('preflight failed');
    expect(result.stderr).toContain('a TypeScript compiler is available (set TSC=/path/to/tsc)');
    expect(repo.tags()).toEqual([]);
    expect(repo.head()).toBe(head);
  });
});
