import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { fromTemplate, makeRepo, type TestRepo } from './helpers/repo.js';
import { onMain as onMainOf } from './helpers/sync-repo.js';

/**
 * `sync` re-applies each phase on the new base. A replace or codemod is a function of a file's
 * content, so a file whose content before the phase is what it was when the phase was tagged gets
 * the phase's recorded result instead of being transformed again; every other file (new on the
 * base, edited there, changed by an earlier phase differently) is transformed. These tests use a
 * replace that is not idempotent (`a(` → `a(a(`): a file transformed twice, or transformed after
 * taking its recorded result, shows it.
 */
const PLAN = `version: 1
name: grow
files: ["**/*.py"]
phases:
  - id: wrap
    transform:
      - replace: 'wrap\\('
        with: 'wrap(wrap('
    validate:
      - count: 'wrap\\(wrap\\('
        min: 1
  - id: rename-call
    transform:
      - replace: 'old_call'
        with: 'new_call'
`;

const BRANCH = 'phasegate/grow';

function fixture(extra: Record<string, string> = {}, plan = PLAN): TestRepo {
  const files: Record<string, string> = { 'plans/grow.yaml': plan, ...extra };
  for (let index = 0; index < 6; index += 1) files[`app/m${index}.py`] = `x = wrap(${index})\nold_call()\n`;
  const repo = makeRepo(files);
  return repo;
}

async function migrate(repo: TestRepo): Promise<void> {
  const run = await phasegate(['run', 'grow', '--yes'], { cwd: repo.dir });
  expect(run.exitCode, run.all).toBe(0);
}

/** The default fixture, migrated: built once for this file, a fresh copy for each test. */
async function migrated(): Promise<TestRepo> {
  return fromTemplate('migrated', async () => {
    const repo = fixture();
    await migrate(repo);
    return repo;
  });
}

/** Commit on main, back on this plan's migration branch. */
function onMain(repo: TestRepo, change: () => void): void {
  onMainOf(repo, change, BRANCH);
}

/** The tree a fresh run of the same plan makes on main as it is now (in a second repository: same files). */
async function freshTree(repo: TestRepo): Promise<string> {
  const fresh = makeRepo({});
  fresh.git('fetch', '-q', repo.dir, 'main:refs/heads/moved');
  fresh.git('checkout', '-q', '-f', 'moved');
  const run = await phasegate(['run', 'plans/grow.yaml', '--yes', '--no-branch'], { cwd: fresh.dir });
  expect(run.exitCode, run.all).toBe(0);
  return fresh.git('rev-parse', 'HEAD^{tree}').trim();
}

describe('sync takes a phase\'s recorded result for files unchanged since its tag', () => {
  it('transforms only the files that are new or changed on the base, and ends where a fresh run ends', async () => {
    const repo = await migrated();
    onMain(repo, () => {
      repo.write('app/new.py', 'y = wrap(7)\nold_call()\n');
      repo.write('app/m0.py', 'x = wrap(100)\nold_call()\n');
    });
    const sync = await phasegate(['sync', 'grow', '--yes'], { cwd: repo.dir });
    expect(sync.exitCode, sync.all).toBe(0);
    // Five files took the recorded result of 'wrap'; the edited and the new file were transformed.
    expect(sync.all).toMatch(/5 files unchanged since the phase was tagged: its recorded result; 2 other files in scope through the steps/);
    expect(repo.read('app/m1.py')).toBe('x = wrap(wrap(1)\nnew_call()\n');
    expect(repo.read('app/m0.py')).toBe('x = wrap(wrap(100)\nnew_call()\n');
    expect(repo.read('app/new.py')).toBe('y = wrap(wrap(7)\nnew_call()\n');
    expect(repo.git('rev-parse', `${BRANCH}^{tree}`).trim()).toBe(await freshTree(repo));
    // The comparison is as before: m0 was edited on main (different), new.py is new (more).
    expect(sync.all).toMatch(/different\s+wrap — changes differently: app\/m0\.py/);
    expect(repo.git('status', '--porcelain').trim()).toBe('');
  });

  it('transforms every file again when a person folded a fix into the phase (guided retry) — nothing recorded is replayed', async () => {
    const repo = await migrated();
    // A fix by hand amended into the phase's commit, as a guided retry does: the tag then does not
    // vouch that its commit is the steps' output. Re-tagging by hand drops the vouching the same way.
    onMain(repo, () => repo.write('app/new.py', 'y = wrap(7)\n'));
    for (const phase of ['wrap', 'rename-call']) {
      const tagged = repo.git('cat-file', '-p', `phasegate/grow/${phase}`).split('\n\n').slice(1).join('\n\n');
      expect(tagged).toMatch(/"replayable": "phasegate /);
      repo.git('tag', '-f', '-a', '-m', tagged.replace(/,\s*"replayable": "[^"]*"/, ''), `phasegate/grow/${phase}`, `phasegate/grow/${phase}^{commit}`);
    }
    const sync = await phasegate(['sync', 'grow', '--yes'], { cwd: repo.dir });
    expect(sync.exitCode, sync.all).toBe(0);
    expect(sync.all).not.toMatch(/recorded result/);
    expect(repo.read('app/m1.py')).toBe('x = wrap(wrap(1)\nnew_call()\n');
  });

  it('a tag moved by hand to another commit vouches for nothing: that phase is transformed again', async () => {
    const repo = await migrated();
    onMain(repo, () => repo.write('app/new.py', 'y = wrap(7)\nold_call()\n'));
    // The last phase's commit amended by hand, its tag moved with its old message.
    const message = repo.git('cat-file', '-p', 'phasegate/grow/rename-call').split('\n\n').slice(1).join('\n\n');
    repo.write('app/m1.py', 'x = wrap(wrap(1)\nnew_call()  # by hand\n');
    repo.git('commit', '-q', '-a', '--amend', '--no-edit');
    repo.git('tag', '-f', '-a', '-m', message, 'phasegate/grow/rename-call', 'HEAD');
    const sync = await phasegate(['sync', 'grow', '--yes'], { cwd: repo.dir });
    expect(sync.exitCode, sync.all).toBe(0);
    const lines = sync.all.split('\n');
    expect(lines.find((line) => line.includes('replace wrap'))).toMatch(/recorded result/);
    expect(lines.find((line) => line.includes('replace old_call'))).not.toMatch(/recorded result/);
    expect(repo.read('app/m1.py')).toBe('x = wrap(wrap(1)\nnew_call()\n');
  });

  it('transforms every file again when a before-phase hook ran (it may have changed what the steps saw)', async () => {
    const plan = PLAN.replace('phases:\n', 'hooks:\n  before-phase: ["true"]\nphases:\n');
    const repo = fixture({}, plan);
    await migrate(repo);
    onMain(repo, () => repo.write('app/new.py', 'y = wrap(7)\n'));
    const sync = await phasegate(['sync', 'grow', '--yes'], { cwd: repo.dir });
    expect(sync.exitCode, sync.all).toBe(0);
    expect(sync.all).not.toMatch(/recorded result/);
    expect(repo.read('app/m1.py')).toBe('x = wrap(wrap(1)\nnew_call()\n');
    expect(repo.git('rev-parse', `${BRANCH}^{tree}`).trim()).toBe(await freshTree(repo));
  });

  it('transforms every file again where git converts line endings or runs filters (.gitattributes)', async () => {
    const repo = fixture({ '.gitattributes': '*.py text eol=lf\n' });
    await migrate(repo);
    onMain(repo, () => repo.write('app/new.py', 'y = wrap(7)\n'));
    const sync = await phasegate(['sync', 'grow', '--yes'], { cwd: repo.dir });
    expect(sync.exitCode, sync.all).toBe(0);
    expect(sync.all).not.toMatch(/recorded result/);
    expect(repo.git('rev-parse', `${BRANCH}^{tree}`).trim()).toBe(await freshTree(repo));
  });

  it('a file an earlier phase now changes differently is transformed, not given the recorded result', async () => {
    const repo = await migrated();
    // main rewrites m2 so that phase 'wrap' leaves it alone: phase 'rename-call' sees other content than before.
    onMain(repo, () => repo.write('app/m2.py', 'x = 2\nold_call()\nold_call()\n'));
    const sync = await phasegate(['sync', 'grow', '--yes'], { cwd: repo.dir });
    expect(sync.exitCode, sync.all).toBe(0);
    expect(repo.read('app/m2.py')).toBe('x = 2\nnew_call()\nnew_call()\n');
    expect(repo.git('rev-parse', `${BRANCH}^{tree}`).trim()).toBe(await freshTree(repo));
    expect(sync.all).toMatch(/different\s+wrap/);
  });
});
