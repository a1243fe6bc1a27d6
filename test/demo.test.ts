import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../examples/lib/example-repo.mjs';
import { tempDir } from './helpers/repo.js';

/**
 * README command 1, `npm run demo` (= build, then `node examples/demo.mjs`): the whole product on
 * the example backend — run, summary, rollback, a broken phase reverted, resume, sync, verify — offline, in under
 * a minute, exit 0 only if every promise held. Run from an unrelated directory, as a new user might.
 */
describe('the demo', () => {
  it('runs the plan, rolls back, reverts a broken phase 2, resumes, and exits 0', async () => {
    const workspace = tempDir('phasegate-demo-test-');
    const started = Date.now();
    const result = await execa(process.execPath, [path.join(ROOT, 'examples', 'demo.mjs')], {
      cwd: tempDir(), env: { PHASEGATE_DEMO_DIR: workspace, NO_COLOR: '1', CI: undefined }, extendEnv: true,
      reject: false, all: true, stdin: 'ignore', timeout: 180_000,
    });
    const output = result.all ?? '';
    expect(result.exitCode, output).toBe(0);
    // The demo takes ~25 s alone (README: under a minute); the suite runs it beside other tests.
    expect(Date.now() - started).toBeLessThan(150_000);

    for (const line of [
      `repository  ${workspace}/phasegate-demo-`,
      '━━ 1/4 · Run the plan unattended',
      '✔ the migration passed (exit 0)',
      'interface · passed · phasegate/websocket-notifier-ssot/interface',
      '· score 90.9% (gate ≥ 85%) ·',
      '✔ no direct instantiation outside the canonical module — no matches (before: 19)',
      'score 90.9% (threshold 85%)',
      '✔ the subclass AuditedNotifier(WebSocketNotifier, AuditMixin) is untouched',
      '━━ 2/4 · Roll back to the state after phase 1',
      '✔ HEAD is at phasegate/websocket-notifier-ssot/foundation',
      '✔ the factory-pattern and interface tags are gone',
      "━━ 3/4 · A broken phase 2: the seed's Script 2 regex over every file",
      'RecursionError',
      '✔ phasegate stopped the run: exit 1',
      '✔ HEAD is back at phasegate/websocket-notifier-ssot/foundation',
      '✔ the failed attempt is kept at refs/phasegate/websocket-notifier-ssot/failed/factory-pattern',
      '━━ 4/4 · The real plan again: it resumes after phase 1',
      '✔ all four tags exist: base, foundation, factory-pattern, interface',
      '━━ Then main moves on: phasegate sync',
      'more        foundation — also changes files new on main: netra_backend/app/agents/billing_agent.py',
      '✔ phase 1 migrated the new netra_backend/app/agents/billing_agent.py too',
      '━━ After the merge: phasegate verify guards main',
      '✔ verify on the merged main: every check holds (exit 0)',
      'netra_backend/app/agents/reports_agent.py:1: from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier',
      '✔ verify catches the regression at netra_backend/app/agents/reports_agent.py:1 (exit 1)',
      '✔ verify changed nothing in the repository',
      '━━ Done in ',
      'The repository is ',
    ]) expect(output, line).toContain(line);
    expect(output).not.toContain('expectation(s) failed');
    expect(output).toContain('plan websocket-notifier-ssot on branch migrate/websocket-notifier-ssot: passed in ');
    expect(output).not.toContain('undefined');
  }, 180_000);
});
