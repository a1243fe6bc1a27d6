import { execa } from 'execa';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';

/**
 * Using phasegate on one's own repository, the way the README says: installed from this checkout
 * (linked, or as a packed tarball), then run from a different repository. The `$schema` line `init`
 * writes must name a schema file that exists in that set-up.
 */
const CHECKOUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NPM_FLAGS = ['--no-audit', '--no-fund', '--loglevel=error'];

async function npm(args: string[], cwd: string) {
  return execa('npm', [...args, ...NPM_FLAGS], { cwd, reject: false, all: true, timeout: 120_000, env: { npm_config_update_notifier: 'false' } });
}

async function installed(bin: string, args: string[], cwd: string) {
  return execa(bin, args, { cwd, reject: false, all: true, stdin: 'ignore', timeout: 60_000, env: { NO_COLOR: '1', CI: undefined } });
}

/** The schema file the plan's `# yaml-language-server: $schema=…` line points at. */
function schemaTarget(repo: TestRepo, planFile: string): string {
  const line = repo.read(planFile).split('\n')[0];
  const reference = /^# yaml-language-server: \$schema=(.+)$/.exec(line)?.[1];
  expect(reference, line).toBeDefined();
  return path.resolve(path.dirname(path.join(repo.dir, planFile)), reference!);
}

const project = { 'src/api.js': 'export function oldApiCall(x) { return x; }\n', 'src/use.js': 'oldApiCall(1);\n' };

describe('installing phasegate for use on another repository', () => {
  it('npm install -g <checkout>: `phasegate` on PATH works in any repository; $schema resolves', async () => {
    const prefix = tempDir('phasegate-prefix-');
    // Linked to the checkout (what `npm link` does); offline. The checkout is built by `npm test`.
    const install = await npm(['install', '--global', '--prefix', prefix, '--offline', '--ignore-scripts', CHECKOUT], tempDir());
    expect(install.exitCode, install.all).toBe(0);
    const bin = path.join(prefix, 'bin', 'phasegate');

    const repo = makeRepo(project);
    const init = await installed(bin, ['init', 'demo'], repo.dir);
    expect(init.exitCode, init.all).toBe(0);
    const schema = schemaTarget(repo, 'plans/demo.yaml');
    expect(existsSync(schema), schema).toBe(true);
    expect(realpathSync(schema)).toBe(path.join(CHECKOUT, 'schema', 'plan.schema.json'));

    const check = await installed(bin, ['check', 'demo'], repo.dir);
    expect(check.exitCode, check.all).toBe(0);
    const dryRun = await installed(bin, ['run', 'demo', '--dry-run'], repo.dir);
    expect(dryRun.exitCode, dryRun.all).toBe(0);
  });

  it('npm pack, then npm install -D <tarball> in the repository: `npx phasegate` works; $schema is relative', async (context) => {
    const packed = tempDir('phasegate-pack-');
    const pack = await npm(['pack', '--ignore-scripts', '--pack-destination', packed], CHECKOUT);
    expect(pack.exitCode, pack.all).toBe(0);
    const tarball = path.join(packed, 'phasegate-0.1.0.tgz');
    expect(existsSync(tarball)).toBe(true);

    const repo = makeRepo({ ...project, '.gitignore': 'node_modules/\n', 'package.json': '{"name":"some-app","private":true}\n' });
    // The dependencies come from the registry; their tarballs are usually in the npm cache already.
    const install = await npm(['install', '--save-dev', '--prefer-offline', tarball], repo.dir);
    if (install.exitCode !== 0 && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|ENOTCACHED/.test(install.all ?? '')) {
      context.skip('the npm registry is not reachable: installing the packed tarball needs its dependencies');
    }
    expect(install.exitCode, install.all).toBe(0);
    repo.git('add', 'package.json', 'package-lock.json');
    repo.git('commit', '-q', '-m', 'phasegate as a dev dependency');

    const npx = (args: string[]) => execa('npx', ['--no-install', 'phasegate', ...args], { cwd: repo.dir, reject: false, all: true, stdin: 'ignore', timeout: 60_000, env: { NO_COLOR: '1', CI: undefined } });
    const init = await npx(['init', 'demo']);
    expect(init.exitCode, init.all).toBe(0);
    expect(repo.read('plans/demo.yaml').split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/phasegate/schema/plan.schema.json');
    expect(existsSync(schemaTarget(repo, 'plans/demo.yaml'))).toBe(true);
    expect(JSON.parse(readFileSync(schemaTarget(repo, 'plans/demo.yaml'), 'utf8')).properties.phases).toBeDefined();

    const check = await npx(['check', 'demo']);
    expect(check.exitCode, check.all).toBe(0);
  }, 180_000);
});
