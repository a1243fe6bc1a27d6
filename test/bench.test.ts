import { describe, expect, it } from 'vitest';
import { fingerprint, generateFiles } from '../bench/generate.mjs';
import { codemodPlan, replacePlan, threePhasePlan } from '../bench/scenarios.mjs';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';

/** `npm run bench` never runs here; this only keeps its inputs honest (issue 7). */
describe('benchmark inputs', () => {
  it('the generator is deterministic and about a quarter of the modules use a deprecated import', () => {
    // Pinned: the repository the numbers in bench/README.md were measured on. A generator that
    // drew on Math.random, the clock or the machine would not give this again in a new process;
    // a deliberate change to the generator updates it (and the numbers).
    expect(fingerprint(400, 216)).toEqual({ files: 400, sha256: '5e94c8596970a42134245a906944500fda301b5395f4e3cd9b20d7409d2120ee' });
    expect(fingerprint(400, 216)).not.toEqual(fingerprint(400, 217));
    const files = [...generateFiles(400, 216)];
    expect(files).toHaveLength(400);
    const deprecated = files.filter((file) => /from netra_backend\.app\.\S+\.websocket_notifier import WebSocketNotifier/.test(file.content));
    expect(deprecated.length / files.length).toBeGreaterThan(0.2);
    expect(deprecated.length / files.length).toBeLessThan(0.3);
  });

  it('the benchmark plans are valid plans', async () => {
    const repo = makeRepo({
      'plans/bench.yaml': threePhasePlan(), 'plans/plain.yaml': threePhasePlan({ codemod: false }), 'plans/replace.yaml': replacePlan(), 'plans/codemod.yaml': codemodPlan(),
    });
    for (const plan of ['bench', 'plain', 'replace', 'codemod']) {
      const result = await phasegate(['check', plan], { cwd: repo.dir });
      expect(result.exitCode, result.all).toBe(0);
    }
  });
});
