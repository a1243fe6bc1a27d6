import { spawn } from 'node:child_process';
import { existsSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate, type CliResult } from './helpers/cli.js';
import { branchOf, statusAll, tagCommit } from './helpers/git-reads.js';
import { projectFiles } from './helpers/plans.js';
import { tempDir, type TestRepo } from './helpers/repo.js';
import { shopRepo } from './helpers/shop.js';

/**
 * The user's own git set-up — hooks, signing, other worktrees, an editor polling `git status` —
 * must neither alter phasegate's checkpoints nor turn a refusal into a crash (issue 11, defects
 * 10, 11 and 15).
 */
const ALL_TAGS = ['phasegate/shop/base', 'phasegate/shop/docs', 'phasegate/shop/imports', 'phasegate/shop/sender'];

function hook(repo: TestRepo, name: string, body: string): void {
  repo.write(`.git/hooks/${name}`, `#!/bin/sh\n${body}\n`, 0o755);
}

/** What a refusal must leave alone: the branch checked out, every ref, every file. */
function snapshot(repo: TestRepo) {
  return { branch: branchOf(repo), refs: repo.refs(), head: repo.head(), status: statusAll(repo) };
}

/** Exit 2 and one line that says why; `notices` lets progress notes (switching branch) come before it. */
function expectCleanRefusal(result: CliResult, mention: string | RegExp, { notices = false } = {}): void {
  expect(result.exitCode, result.all).toBe(2);
  expect(result.all).not.toMatch(/a bug|\n\s+at /);
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '' && (!notices || line.startsWith('phasegate:')));
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(mention);
}

/**
 * A stand-in for gpg that git accepts (it looks for SIG_CREATED on the status channel), failing
 * when the data to sign contains `failOn`.
 */
function fakeSigner(failOn?: string): string {
  const file = path.join(tempDir('phasegate-signer-'), 'sign');
  const refuse = failOn ? `grep -q '${failOn}' "$data" && { echo 'no key' >&2; exit 2; }` : '';
  writeFileSync(file, `#!/bin/sh
data=$(mktemp); cat > "$data"
${refuse}
rm -f "$data"
echo '[GNUPG:] SIG_CREATED D 1 8 00 0 0' >&2
printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nfake\\n-----END PGP SIGNATURE-----\\n'
`);
  chmodSync(file, 0o755);
  return file;
}

describe('signing configured by the user', () => {
  for (const setting of ['tag.gpgsign', 'commit.gpgsign']) {
    it(`${setting} with a signer that cannot sign is refused before anything changes`, async () => {
      const repo = shopRepo();
      repo.git('config', setting, 'true');
      repo.git('config', 'gpg.program', 'false');
      const before = snapshot(repo);
      const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
      expectCleanRefusal(result, new RegExp(`${setting.replace('.', '\\.')}.*git config ${setting} false`));
      expect(snapshot(repo)).toEqual(before);
    });
  }

  it('a dry run and a rehearsal sign nothing, so a signer that cannot sign does not stop them', async () => {
    const repo = shopRepo();
    const home = tempDir('phasegate-home-');
    writeFileSync(path.join(home, '.gitconfig'), '[commit]\n\tgpgsign = true\n[tag]\n\tgpgsign = true\n[gpg]\n\tprogram = false\n');
    const env = { HOME: home, XDG_CONFIG_HOME: home };
    const before = snapshot(repo);
    const dryRun = await phasegate(['run', 'shop', '--dry-run'], { cwd: repo.dir, env });
    expect(dryRun.exitCode, dryRun.all).toBe(0);
    const rehearsal = await phasegate(['rehearse', 'shop'], { cwd: repo.dir, env });
    expect(rehearsal.exitCode, rehearsal.all).toBe(0);
    expect(snapshot(repo)).toEqual(before);
  });

  it('a signer that works signs every checkpoint commit and tag, as the user asked', async () => {
    const repo = shopRepo();
    repo.git('config', 'commit.gpgsign', 'true');
    repo.git('config', 'tag.gpgsign', 'true');
    repo.git('config', 'gpg.program', fakeSigner());
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.tags()).toEqual(ALL_TAGS);
    for (const id of ['imports', 'sender', 'docs']) {
      expect(repo.git('cat-file', 'commit', `phasegate/shop/${id}^{commit}`)).toContain('gpgsig -----BEGIN PGP SIGNATURE-----');
      expect(repo.git('cat-file', 'tag', `phasegate/shop/${id}`)).toContain('-----BEGIN PGP SIGNATURE-----');
    }
  });

  it('a signer that fails only at the base tag is refused, and the branch made for the run is gone again', async () => {
    const repo = shopRepo();
    repo.git('config', 'tag.gpgsign', 'true');
    repo.git('config', 'gpg.program', fakeSigner('"phase": "base"'));
    const before = snapshot(repo);
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expectCleanRefusal(result, /unable to sign the tag.*git config tag\.gpgsign false/);
    expect(snapshot(repo)).toEqual(before);
  });

  it('a signer that stops working mid-run fails that phase, restores its checkpoint and says how to go on', async () => {
    const repo = shopRepo();
    repo.git('config', 'commit.gpgsign', 'true');
    repo.git('config', 'gpg.program', fakeSigner('Phasegate-Phase: sender'));
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).not.toMatch(/a bug|\n\s+at /);
    expect(result.stdout).toMatch(/result: failed.*git config commit\.gpgsign false/);
    expect(repo.tags()).toEqual(['phasegate/shop/base', 'phasegate/shop/imports']);
    expect(repo.head()).toBe(tagCommit(repo, 'shop', 'imports'));
    expect(statusAll(repo)).toBe('');
  });
});

describe("the repository's own git hooks", () => {
  /** Every hook a checkout, commit, tag, reset or ref update can start; each leaves a mark. */
  const HOOKS = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'post-checkout', 'post-rewrite', 'reference-transaction', 'post-index-change', 'pre-auto-gc'];

  it('do not run for phasegate\'s own git operations, even when each of them fails', async () => {
    const repo = shopRepo();
    const marks = tempDir('phasegate-hook-marks-');
    for (const name of HOOKS) hook(repo, name, `touch '${marks}/${name}'\nexit 1`);
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.tags()).toEqual(ALL_TAGS);
    expect(HOOKS.filter((name) => existsSync(path.join(marks, name)))).toEqual([]);
  });

  it('a post-checkout hook that fails (git-lfs hooks without git-lfs) does not stop the run', async () => {
    const repo = shopRepo();
    hook(repo, 'post-checkout', 'echo "git-lfs was not found on your path" >&2\nexit 1');
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(branchOf(repo)).toBe('phasegate/shop');
    expect(repo.tags()).toEqual(ALL_TAGS);
  });

  it('a reference-transaction hook that refuses every update does not stop the run', async () => {
    const repo = shopRepo();
    hook(repo, 'reference-transaction', 'exit 1');
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.tags()).toEqual(ALL_TAGS);
  });

  it('a prepare-commit-msg hook cannot replace a checkpoint message (the trailer stays)', async () => {
    const repo = shopRepo();
    const start = repo.head();
    hook(repo, 'prepare-commit-msg', 'echo "WIP" > "$1"');
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    const log = repo.git('log', '--format=%s|%(trailers:key=Phasegate-Phase,valueonly,separator=)', `${start}..HEAD`);
    expect(log.split('\n').filter(Boolean)).toEqual(['shop: Document the change|docs', 'shop: Rename send to deliver|sender', 'shop: Canonical imports|imports']);
  });

  it('a post-commit hook that edits a file leaves no trace in the next checkpoint or the tree', async () => {
    const repo = shopRepo();
    const start = repo.head();
    hook(repo, 'post-commit', 'echo "# touched by a hook" >> app/util.py');
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(statusAll(repo)).toBe('');
    expect(repo.git('diff', '--name-only', start, 'HEAD', '--', 'app/util.py')).toBe('');
    expect(repo.read('app/util.py')).toBe(projectFiles['app/util.py']);
  });
});

describe('other git processes', () => {
  it('a migration branch checked out in another worktree is refused in one line, nothing changed', async () => {
    const repo = shopRepo();
    const elsewhere = path.join(tempDir('phasegate-worktree-'), 'wt');
    repo.git('branch', 'phasegate/shop');
    repo.git('worktree', 'add', '--quiet', elsewhere, 'phasegate/shop');
    const before = snapshot(repo);
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expectCleanRefusal(result, /phasegate\/shop.*worktree/);
    expect(result.stderr).toContain(elsewhere);
    expect(snapshot(repo)).toEqual(before);
  });

  it('an editor that takes .git/index.lock again and again (git status in a loop) does not fail the run', async () => {
    const repo = shopRepo();
    // Taken with O_EXCL like git does (noclobber), held a moment, given back, over and over.
    const poller = spawn('sh', ['-c', 'while :; do if (set -C; : > .git/index.lock) 2>/dev/null; then sleep 0.2; rm -f .git/index.lock; fi; sleep 0.1; done'], { cwd: repo.dir, stdio: 'ignore' });
    try {
      const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
      expect(result.exitCode, result.all).toBe(0);
      expect(repo.tags()).toEqual(ALL_TAGS);
    } finally {
      poller.kill('SIGKILL');
      await new Promise((resolve) => poller.once('exit', resolve));
    }
  });

  it('an index.lock that never goes away is named, and is not reported as a bug', async () => {
    const repo = shopRepo();
    const before = snapshot(repo);
    repo.write('.git/index.lock', '');
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expectCleanRefusal(result, /\.git\/index\.lock/);
    // The lock is the user's (or a crashed git's): phasegate leaves it where it is and changes nothing.
    expect(existsSync(path.join(repo.dir, '.git/index.lock'))).toBe(true);
    expect(snapshot(repo)).toEqual(before);
  });
});

describe('rollback among other git processes', () => {
  async function migrated(): Promise<TestRepo> {
    const repo = shopRepo();
    const result = await phasegate(['run', 'shop', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    return repo;
  }

  it('an index.lock that stays is named and refused before anything is undone', async () => {
    const repo = await migrated();
    const before = snapshot(repo);
    repo.write('.git/index.lock', '');
    const result = await phasegate(['rollback', 'base', '--yes'], { cwd: repo.dir });
    expectCleanRefusal(result, /\.git\/index\.lock/);
    expect(snapshot(repo)).toEqual(before);
  });

  it('a migration branch checked out in another worktree is refused in one line, nothing undone', async () => {
    const repo = await migrated();
    repo.git('checkout', '--quiet', 'main');
    const elsewhere = path.join(tempDir('phasegate-worktree-'), 'wt');
    repo.git('worktree', 'add', '--quiet', elsewhere, 'phasegate/shop');
    const before = snapshot(repo);
    const result = await phasegate(['rollback', 'imports', '--yes'], { cwd: repo.dir });
    expectCleanRefusal(result, /phasegate\/shop.*worktree/, { notices: true });
    expect(snapshot(repo)).toEqual(before);
  });
});
