import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir } from './helpers/repo.js';

/**
 * Issue 15, figure 1: everything before the first phase starts is fixed cost on every run. Each
 * git process costs a spawn on the main thread and, when asked one after the other, a round trip.
 * A `git` first on PATH logs each command; the plan's before-phase hook writes a marker into the
 * same log, so the lines before it are what the start-up asked of git.
 */
function loggingGit(): { bin: string; log: string } {
  const dir = tempDir('phasegate-gitlog-');
  const bin = path.join(dir, 'bin');
  const log = path.join(dir, 'git.log');
  mkdirSync(bin);
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nprintf 'git %s\\n' "$*" | head -c 200 >> '${log}'\nprintf '\\n' >> '${log}'\nexec '${realGit}' "$@"\n`);
  chmodSync(path.join(bin, 'git'), 0o755);
  return { bin, log };
}

const plan = (log: string) => [
  'version: 1', 'name: p',
  'hooks:', `  before-phase: "echo PHASE-STARTS >> '${log}'"`,
  'phases:', '  - id: one', '    transform:', "      - replace: 'old_call'", "        with: 'new_call'", '',
].join('\n');

/** The git commands before the first phase's hook, without the (first-line-only) noise of multi-line arguments. */
function gitBeforeFirstPhase(log: string): string[] {
  const lines = readFileSync(log, 'utf8').split('\n').filter((line) => line.startsWith('git ') || line === 'PHASE-STARTS');
  const marker = lines.indexOf('PHASE-STARTS');
  expect(marker, lines.join('\n')).toBeGreaterThan(0);
  return lines.slice(0, marker);
}

describe('start-up of a run: git is asked each thing once', () => {
  it('an unattended run starts its first phase after at most 10 git processes, asking the top folder once and HEAD after the lock once', async () => {
    const { bin, log } = loggingGit();
    const repo = makeRepo({ 'src/a.py': 'old_call()\n', 'src/b.py': 'keep()\n', 'plans/p.yaml': plan(log) });
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir, env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.read('src/a.py')).toBe('new_call()\n');
    const asked = gitBeforeFirstPhase(log);
    // Before this work: 15 (status, ls-files --others, rev-parse --show-toplevel, rev-parse
    // --verify --quiet HEAD, config user.email, rev-parse --git-dir…, ls-files <plan>, ls-files -t,
    // symbolic-ref, for-each-ref, rev-parse --verify HEAD, config --get-regexp gpgsign,
    // rev-parse --verify HEAD, tag, and the phase's own rev-parse --verify HEAD).
    expect(asked.length, asked.join('\n')).toBeLessThanOrEqual(10);
    expect(asked.filter((line) => /rev-parse.*(--show-toplevel|--absolute-git-dir)/.test(line)), asked.join('\n')).toHaveLength(1);
    // Once for the base tag (after the lock: HEAD asked before it could have moved since), once by the phase.
    expect(asked.filter((line) => line.endsWith('rev-parse --verify HEAD')).length, asked.join('\n')).toBeLessThanOrEqual(2);
  });

  it('from a subfolder, without a git identity, and with the plan untracked, the run still checkpoints as before', async () => {
    const { bin, log } = loggingGit();
    const repo = makeRepo({ 'src/a.py': 'old_call()\n', 'README.md': 'x\n' });
    repo.write('plans/p.yaml', plan(log));
    // No identity anywhere: an empty global config and none in the repository.
    repo.git('config', '--unset', 'user.email');
    repo.git('config', '--unset', 'user.name');
    const home = tempDir('phasegate-home-');
    const result = await phasegate(['run', '../plans/p.yaml', '--yes', '--no-branch'], {
      cwd: path.join(repo.dir, 'src'),
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
    });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.git('log', '-1', '--format=%ae', 'phasegate/p/one').trim()).toBe('phasegate@localhost');
    expect(repo.read('src/a.py')).toBe('new_call()\n');
    // The untracked plan was neither committed nor removed.
    expect(repo.git('ls-files', 'plans').trim()).toBe('');
    expect(repo.exists('plans/p.yaml')).toBe(true);
  });

  it('signing settings read with the identity still refuse a signer that cannot sign, however the boolean is spelled, before anything changes', async () => {
    const repo = makeRepo({ 'src/a.py': 'old_call()\n', 'plans/p.yaml': plan('/dev/null') });
    const start = repo.head();
    // Off globally, "yes" in the repository: the later level wins, and "yes" is true to git.
    const home = tempDir('phasegate-home-');
    writeFileSync(path.join(home, '.gitconfig'), '[commit]\n\tgpgsign = false\n');
    repo.git('config', 'commit.gpgsign', 'yes');
    repo.git('config', 'gpg.program', 'false');
    const result = await phasegate(['run', 'p', '--yes', '--no-branch'], { cwd: repo.dir, env: { HOME: home, XDG_CONFIG_HOME: home } });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.all).toMatch(/configured to sign \(commit\.gpgsign\)/);
    expect(repo.head()).toBe(start);
    expect(repo.tags()).toEqual([]);
    expect(repo.read('src/a.py')).toBe('old_call()\n');
  });
});
