import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';
import { BRANCH, FILES, onMain, PLAN, planRefs, tagCommit } from './helpers/sync-repo.js';
import { mainChangesIgnoreRules } from './helpers/sync-in-place.js';
import { Terminal } from './helpers/tmux.js';

/**
 * A guided sync (a terminal, no --yes) at a phase whose checks fail on the new base offers the same
 * choices as a guided `run`: roll back (here: abandon the sync), run the checks again after a fix
 * by hand in the replay working tree, keep the phase without a tag and go on, or open a shell there.
 * Each test checks the repository afterwards, not only the screen.
 */
const TIDY = `  - id: tidy
    title: Mark migrated lines
    transform:
      - replace: '^x = thing$'
        with: 'x = thing  # migrated'
    validate:
      - require: '# migrated'
`;

/** Three phases (imports, calls, tidy) run and tagged; then main edits a line so that 'calls' fails on it. */
async function failingOnMain(): Promise<TestRepo> {
  const repo = makeRepo({ ...FILES, 'plans/mig.yaml': PLAN + TIDY });
  const run = await phasegate(['run', 'mig', '--yes'], { cwd: repo.dir });
  expect(run.exitCode, run.all).toBe(0);
  // These tests are about the scratch clone's replay tree (an ignore rule main changes makes sync use one).
  onMain(repo, () => { repo.write('app/a.py', 'from old.mod import thing\nprint(thing, 1)\n'); mainChangesIgnoreRules(repo); });
  return repo;
}

const FAILED = "Phase 'calls' failed its checks";
const ROLL_BACK = '❯ Roll back: abandon the sync';
const FIXED = 'from new.mod import thing\nlog(thing, 1)\n';

async function atFailure(repo: TestRepo): Promise<{ term: Terminal; replayTree: string }> {
  const term = new Terminal(['sync', 'mig'], { cwd: repo.dir });
  const screen = await term.waitFor(ROLL_BACK, 60_000);
  expect(screen).toContain(FAILED);
  expect(screen).toContain('print(thing, 1)');
  const where = /replay working tree[^\n]* is (\S+)/.exec(screen);
  expect(where, screen).not.toBeNull();
  return { term, replayTree: where![1] };
}

const mainTip = (repo: TestRepo) => repo.git('rev-parse', 'main').trim();

describe('a guided sync at a phase whose checks fail', () => {
  it('roll back (the default) abandons the sync: branch and tags as before, the attempt kept on a ref, exit 1', async () => {
    const repo = await failingOnMain();
    const before = planRefs(repo);
    const { term } = await atFailure(repo);
    term.keys('Enter');
    expect(await term.exitCode(60_000)).toBe(1);
    expect(await term.waitFor('its checks failed')).toContain('phasegate/mig and its tags are unchanged');
    expect(planRefs(repo)).toEqual(before);
    expect(repo.git('status', '--porcelain').trim()).toBe('');
    expect(repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/sync-attempt/'))).toHaveLength(1);
  });

  it('run the checks again after a fix by hand in the replay working tree it names: the fix is part of the phase, the sync goes on', async () => {
    const repo = await failingOnMain();
    const { term, replayTree } = await atFailure(repo);
    expect(replayTree).not.toBe(repo.dir);
    writeFileSync(path.join(replayTree, 'app/a.py'), FIXED);
    term.keys('Down', 'Enter');
    // The phase now changes a.py differently than before: the usual question of a guided sync.
    await term.waitFor("Phase 'calls' is different on the new base. Go on with the sync?", 60_000);
    term.keys('y', 'Enter');
    expect(await term.exitCode(60_000)).toBe(0);
    expect(repo.read('app/a.py')).toBe(FIXED);
    expect(repo.git('show', `phasegate/mig/calls:app/a.py`)).toBe(FIXED);
    expect(repo.git('rev-parse', 'phasegate/mig/base^{commit}').trim()).toBe(mainTip(repo));
    expect(tagCommit(repo, 'tidy')).toBe(repo.git('rev-parse', BRANCH).trim());
    expect(repo.git('status', '--porcelain').trim()).toBe('');
  });

  it('open a shell: it starts in the replay working tree, and after it the choices come back', async () => {
    const repo = await failingOnMain();
    const { term, replayTree } = await atFailure(repo);
    term.keys('Down', 'Down', 'Down', 'Enter');
    await term.waitFor(`in ${replayTree}`);
    // Type only once the shell shows its prompt: keys sent earlier can reach the closing question instead.
    await term.waitFor(/^[#$] *$/m);
    // Relative paths: the shell's working folder is the replay tree, not the user's repository.
    const where = path.join(tempDir(), 'where');
    term.keys(`pwd > ${where}; sed -i 's/print(thing, 1)/log(thing, 1)/' app/a.py; exit`, 'Enter');
    await term.waitFor(/back from the shell[\s\S]*❯ Roll back: abandon the sync/);
    expect(readFileSync(where, 'utf8').trim()).toBe(replayTree);
    // The user's repository is not where the shell worked.
    expect(repo.read('app/a.py')).toBe('from new.mod import thing\nlog(thing)\n');
    term.keys('Down', 'Enter');
    await term.waitFor("Phase 'calls' is different on the new base. Go on with the sync?", 60_000);
    term.keys('y', 'Enter');
    expect(await term.exitCode(60_000)).toBe(0);
    expect(repo.read('app/a.py')).toBe(FIXED);
    expect(repo.git('rev-parse', 'phasegate/mig/base^{commit}').trim()).toBe(mainTip(repo));
  });

  it('keep: the phase is kept in the rebuild without a tag, the sync goes on with the next phase, exit 1', async () => {
    const repo = await failingOnMain();
    const before = planRefs(repo);
    const { term } = await atFailure(repo);
    term.keys('Down', 'Down', 'Enter');
    expect(await term.exitCode(60_000)).toBe(1);
    const screen = await term.waitFor(/kept\s+calls/);
    expect(screen).toContain('without a tag');
    // The branch moved onto main with every phase; 'calls' is there, failing as it is, and untagged.
    const tip = repo.git('rev-parse', BRANCH).trim();
    expect(repo.git('rev-parse', 'phasegate/mig/base^{commit}').trim()).toBe(mainTip(repo));
    expect(tagCommit(repo, 'tidy')).toBe(tip);
    expect(repo.tags()).toEqual(['phasegate/mig/base', 'phasegate/mig/imports', 'phasegate/mig/tidy']);
    expect(repo.git('log', '-1', '--format=%B', `${tip}^`)).toContain('Phasegate-Phase: calls');
    expect(repo.read('app/a.py')).toBe('from new.mod import thing\nprint(thing, 1)\n');
    expect(repo.read('app/b.py')).toBe('from new.mod import thing\nx = thing  # migrated\n');
    expect(repo.git('status', '--porcelain').trim()).toBe('');
    // The old tag of 'calls' is not lost: it is kept with the other old tags.
    const synced = repo.refs().filter((ref) => ref.startsWith('refs/phasegate/mig/synced/'));
    expect(synced.map((ref) => repo.git('rev-parse', ref).trim())).toContain(before['refs/tags/phasegate/mig/calls']);
    // status tells the truth: 'calls' is not passed.
    const status = await phasegate(['status', 'mig'], { cwd: repo.dir });
    expect(status.stdout).toMatch(/calls/);
    expect(status.stdout).not.toMatch(/✔[^\n]*calls/);
  });
});
