import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCLI } from '../src/cli.js';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';
import { snapshot } from './helpers/snapshot.js';

/**
 * A project whose checks need its installed, git-ignored dependencies — like `npx tsc` needs
 * node_modules. The scratch clone of --dry-run and rehearse has no ignored files until `carry:` /
 * `--carry` brings them; the user's own folder must come out byte for byte as it went in.
 */

// A fake installed tool: like babel or vite it keeps a cache inside node_modules, so a scratch
// run that wrote through a link would change the user's folder.
const fakeTool = `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
if (process.argv[2] === '--version') { console.log('fake-tool 1.0.0'); process.exit(0); }
const cache = path.join(__dirname, '..', '.cache');
fs.mkdirSync(cache, { recursive: true });
fs.appendFileSync(path.join(cache, 'runs.log'), 'checked\\n');
const dir = process.argv[2];
for (const file of fs.readdirSync(dir)) {
  if (fs.readFileSync(path.join(dir, file), 'utf8').includes('oldApi')) { console.error('old API in ' + file); process.exit(1); }
}
console.log('fake-tool: all good');
`;

function planText({ carry, preflight = false }: { carry?: string[]; preflight?: boolean } = {}): string {
  return `version: 1
name: tools
files: ["src/**"]
${carry ? `carry: [${carry.join(', ')}]\n` : ''}${preflight ? 'preflight:\n  - run: node_modules/.bin/fake-tool --version\n' : ''}phases:
  - id: rename
    transform:
      - replace: 'oldApi'
        with: 'newApi'
    validate:
      - run: node_modules/.bin/fake-tool src
`;
}

function projectWithDependencies(plan: string, { absoluteBin = false, through }: { absoluteBin?: boolean; through?: string } = {}): TestRepo {
  const repo = makeRepo({
    '.gitignore': 'node_modules/\n',
    'src/api.js': 'export function oldApi() {}\n',
    'src/use.js': 'oldApi();\n',
    'plans/tools.yaml': plan,
  });
  repo.write('node_modules/fake-tool/bin.js', fakeTool, 0o755);
  repo.write('node_modules/fake-tool/package.json', '{"name":"fake-tool","bin":"bin.js"}\n');
  mkdirSync(path.join(repo.dir, 'node_modules/.bin'));
  // pnpm and some installers write absolute links: in the copy it must lead to the copy, not back.
  // `through`: another path to the repository (a symlinked parent, as /tmp is on macOS).
  if (through) symlinkSync(repo.dir, through);
  const bin = absoluteBin ? path.join(through ?? repo.dir, 'node_modules/fake-tool/bin.js') : '../fake-tool/bin.js';
  symlinkSync(bin, path.join(repo.dir, 'node_modules/.bin/fake-tool'));
  return repo;
}

describe('carry: ignored paths brought into the scratch clone', () => {
  it('dry run: fails without carry and hints at it; passes with --carry; node_modules unchanged', async () => {
    const repo = projectWithDependencies(planText());
    const before = snapshot(repo);
    expect(Object.keys(before.files)).toContain('node_modules/fake-tool/bin.js');

    const without = await phasegate(['run', 'tools', '--dry-run'], { cwd: repo.dir });
    expect(without.exitCode, without.all).toBe(1);
    expect(without.stderr).toMatch(/hint: .*not found in the scratch clone/);
    expect(without.stderr).toContain("'--carry <path>'");

    const carried = await phasegate(['run', 'tools', '--dry-run', '--carry', 'node_modules'], { cwd: repo.dir });
    expect(carried.exitCode, carried.all).toBe(0);
    expect(carried.stderr).toMatch(/carried into the scratch clone: node_modules \(copied/);
    expect(carried.stderr).not.toContain('hint:');
    expect(carried.stdout).toContain('+oldApi();'.replace('+old', '-old'));
    expect(carried.stdout).toContain('+newApi();');
    expect(snapshot(repo)).toEqual(before);
  });

  it('dry run: a preflight that cannot find its tool is refused with the hint', async () => {
    const repo = projectWithDependencies(planText({ preflight: true }));
    const before = snapshot(repo);
    const without = await phasegate(['run', 'tools', '--dry-run'], { cwd: repo.dir });
    expect(without.exitCode, without.all).toBe(2);
    expect(without.stderr).toContain('preflight failed');
    expect(without.stderr).toMatch(/hint: .*not found in the scratch clone/);
    const carried = await phasegate(['run', 'tools', '--dry-run', '--carry', 'node_modules/'], { cwd: repo.dir });
    expect(carried.exitCode, carried.all).toBe(0);
    expect(snapshot(repo)).toEqual(before);
  });

  it('rehearse: fails without carry (with the hint), passes with the plan key, node_modules unchanged', async () => {
    const repo = projectWithDependencies(planText(), { absoluteBin: true });
    const before = snapshot(repo);
    const without = await phasegate(['rehearse', 'tools'], { cwd: repo.dir });
    expect(without.exitCode, without.all).toBe(1);
    expect(without.all).toMatch(/hint: .*not found in the scratch clone/);

    // The plan key, uncommitted: the edited plan is what the rehearsal uses.
    repo.write('plans/tools.yaml', planText({ carry: ['node_modules'] }));
    const beforeCarried = snapshot(repo);
    const carried = await phasegate(['rehearse', 'tools'], { cwd: repo.dir });
    expect(carried.exitCode, carried.all).toBe(0);
    expect(carried.stdout).toContain('rehearsal passed');
    expect(carried.stderr).toMatch(/carried into the scratch clone: node_modules \(copied/);
    // The carried folder is not "left behind by the rollback": it was brought in on purpose.
    expect(carried.stdout).not.toContain('ignored files remain');
    expect(snapshot(repo)).toEqual(beforeCarried);
    expect(snapshot(repo).files).toEqual({ ...before.files, 'plans/tools.yaml': beforeCarried.files['plans/tools.yaml'] });
  });

  it('an absolute link into the repository through another path to it leads to the copy too: dry run and rehearse write nothing back', async () => {
    const alias = path.join(tempDir('phasegate-alias-'), 'repo');
    const repo = projectWithDependencies(planText({ carry: ['node_modules'] }), { absoluteBin: true, through: alias });
    const before = snapshot(repo);
    const dry = await phasegate(['run', 'tools', '--dry-run'], { cwd: repo.dir });
    expect(dry.exitCode, dry.all).toBe(0);
    expect(snapshot(repo)).toEqual(before);
    const rehearsed = await phasegate(['rehearse', 'tools'], { cwd: repo.dir });
    expect(rehearsed.exitCode, rehearsed.all).toBe(0);
    expect(snapshot(repo)).toEqual(before);
  });

  it('links a carried symlink that points outside the repository (a shared virtualenv) instead of copying', async () => {
    const venv = tempDir('phasegate-venv-');
    writeFileSync(path.join(venv, 'tool'), '#!/bin/sh\n! grep -rq oldApi "$1"\n', { mode: 0o755 });
    const repo = makeRepo({
      '.gitignore': '.venv\n',
      'src/api.js': 'export function oldApi() {}\n',
      'plans/tools.yaml': planText().replace('node_modules/.bin/fake-tool src', '.venv/tool src'),
    });
    symlinkSync(venv, path.join(repo.dir, '.venv'));
    const before = snapshot(repo);
    const result = await phasegate(['rehearse', 'tools', '--carry', '.venv'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toContain(`carried into the scratch clone: .venv (linked to ${venv}, outside the repository)`);
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses carry paths that are not ignored, missing, or outside the repository', async () => {
    const repo = projectWithDependencies(planText());
    const tracked = await phasegate(['run', 'tools', '--dry-run', '--carry', 'src'], { cwd: repo.dir });
    expect(tracked.exitCode, tracked.all).toBe(2);
    expect(tracked.stderr).toContain("--carry src: 'src' is tracked by git");
    const missing = await phasegate(['rehearse', 'tools', '--carry', 'vendor'], { cwd: repo.dir });
    expect(missing.exitCode, missing.all).toBe(2);
    expect(missing.stderr).toContain("--carry vendor: 'vendor' does not exist");
    const outside = await phasegate(['rehearse', 'tools', '--carry', '../elsewhere'], { cwd: repo.dir });
    expect(outside.exitCode, outside.all).toBe(2);
    expect(outside.stderr).toContain('leaves the repository');
    const onRealRun = await phasegate(['run', 'tools', '--yes', '--carry', 'node_modules'], { cwd: repo.dir });
    expect(onRealRun.exitCode, onRealRun.all).toBe(2);
    expect(onRealRun.stderr).toContain('--carry only goes with --dry-run');

    repo.write('plans/tools.yaml', planText({ carry: ['../outside'] }));
    const check = await phasegate(['check', 'tools'], { cwd: repo.dir });
    expect(check.exitCode, check.all).toBe(2);
    expect(check.stderr).toMatch(/carry.*'\.\.\/outside' leaves the repository/);
  });

  it('parses --carry, repeatable, for run --dry-run and rehearse', () => {
    expect(parseCLI(['run', 'p', '--dry-run', '--carry', 'node_modules', '--carry', '.venv'])).toMatchObject({ dryRun: true, carry: ['node_modules', '.venv'] });
    expect(parseCLI(['rehearse', 'p', '--carry', 'node_modules'])).toMatchObject({ name: 'rehearse', carry: ['node_modules'] });
    expect(parseCLI(['rehearse', 'p'])).toMatchObject({ carry: [] });
    expect(() => parseCLI(['run', 'p', '--carry', 'node_modules'])).toThrow('--carry only goes with --dry-run');
  });
});
