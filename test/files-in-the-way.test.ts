import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, type TestRepo } from './helpers/repo.js';
import { snapshot } from './helpers/snapshot.js';
import { expectGitSentinels, expectSentinels, IGNORE_BUILD, plantGitSentinels, plantSentinels } from './helpers/sentinels.js';

/**
 * A user's own file where the tree phasegate is about to write has a tracked one: git's reset and
 * checkout replace an ignored file (and a whole untracked folder in place of a file) without a
 * word, so phasegate must refuse first — exit 2, the repository byte for byte as it was.
 */
function onePhasePlan(transform: string): string {
  return [
    'version: 1', 'name: p', 'files: ["**/*"]', 'phases:', '  - id: one', '    title: one',
    '    transform:', transform, '    validate:', "      - forbid: 'zzz'", '',
  ].join('\n');
}

async function migratedWith(files: Record<string, string>, transform: string, force: string[] = []): Promise<TestRepo> {
  const repo = makeRepo({ ...files, 'plans/p.yaml': onePhasePlan(transform) }, { commit: false });
  repo.git('add', '-A');
  for (const file of force) repo.git('add', '-f', file);
  repo.git('commit', '-q', '-m', 'initial');
  const run = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
  expect(run.exitCode, run.all).toBe(0);
  return repo;
}

describe('rollback refuses to write over what a user keeps where the target tracks a file', () => {
  it.each(['reset', 'revert'])('an untracked folder where the target has a file (--strategy %s)', async (strategy) => {
    const repo = await migratedWith({ '.gitignore': IGNORE_BUILD, build: 'tracked stub\n', 'app.py': 'x\n' }, '      - delete: build');
    // build/ is ignored once it is a folder; the user's output lands there after the phase.
    repo.write('build/out.bin', 'MY BUILD OUTPUT\n');
    const kept = plantGitSentinels(repo, 'app.py');
    const planted = plantSentinels(repo);
    const before = snapshot(repo);
    const result = await phasegate(['rollback', 'base', '--yes', '--strategy', strategy], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toMatch(/would overwrite .*: build\b/);
    expect(snapshot(repo)).toEqual(before);
    expectGitSentinels(repo, kept, 'after the refusal');
    expectSentinels(repo, { ...planted, 'build/out.bin': Buffer.from('MY BUILD OUTPUT\n') }, 'after the refusal');
  });

  it.each(['reset', 'revert'])('an ignored file at a path the target tracks (--strategy %s)', async (strategy) => {
    const repo = await migratedWith({ '.gitignore': 'local.cfg\n' + IGNORE_BUILD, 'local.cfg': 'tracked default\n', 'app.py': 'x\n' }, '      - delete: local.cfg', ['local.cfg']);
    repo.write('local.cfg', 'MY OWN LOCAL CFG\n');
    const kept = plantGitSentinels(repo, 'app.py');
    const planted = plantSentinels(repo);
    const before = snapshot(repo);
    const result = await phasegate(['rollback', 'base', '--yes', '--strategy', strategy], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain('local.cfg');
    expect(snapshot(repo)).toEqual(before);
    expectGitSentinels(repo, kept, 'after the refusal');
    expectSentinels(repo, { ...planted, 'local.cfg': Buffer.from('MY OWN LOCAL CFG\n') }, 'after the refusal');
  });

  it('goes ahead once the user moved the file away, and leaves their other files alone', async () => {
    const repo = await migratedWith({ '.gitignore': 'local.cfg\n' + IGNORE_BUILD, 'local.cfg': 'tracked default\n', 'app.py': 'x\n' }, '      - delete: local.cfg', ['local.cfg']);
    const planted = plantSentinels(repo);
    const result = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.read('local.cfg')).toBe('tracked default\n');
    expectSentinels(repo, planted, 'after the rollback');
  });
});

describe('run refuses to switch to the migration branch over an ignored file', () => {
  it('resuming from main, where the migration branch tracks a file the user keeps ignored here', async () => {
    const transform = [
      "      - replace: '^\\*\\.cfg\\n'", "        with: ''", '        files: [.gitignore]',
      "      - run: 'echo generated > new.cfg'",
    ].join('\n');
    const plan = onePhasePlan(transform) + [
      '  - id: two', '    title: two', '    transform:', "      - replace: 'x'", "        with: 'y'", '        files: [app.py]',
      '    validate:', "      - forbid: 'zzz'", '',
    ].join('\n');
    const repo = makeRepo({ '.gitignore': '*.cfg\n' + IGNORE_BUILD, 'app.py': 'x\n', 'plans/p.yaml': plan });
    const first = await phasegate(['run', 'p', '--yes', '--to', 'one'], { cwd: repo.dir });
    expect(first.exitCode, first.all).toBe(0);
    repo.git('checkout', '-q', 'main');
    repo.write('new.cfg', 'MY OWN CFG\n');
    const kept = plantGitSentinels(repo, 'app.py');
    const planted = plantSentinels(repo);
    const before = snapshot(repo);
    const resumed = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(resumed.exitCode, resumed.all).toBe(2);
    expect(resumed.stderr).toContain('new.cfg');
    expect(snapshot(repo)).toEqual(before);
    expectGitSentinels(repo, kept, 'after the refusal');
    expectSentinels(repo, { ...planted, 'new.cfg': Buffer.from('MY OWN CFG\n') }, 'after the refusal');
  });
});
