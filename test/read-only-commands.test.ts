import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, type TestRepo } from './helpers/repo.js';

/**
 * `--dry-run`, `verify`, `rehearse`, `status` and `check` only read the user's repository (SPEC:
 * a dry run "leaves the user's repository exactly as it was", verify runs "without changing the
 * repository", status and check are read-only): not a ref, not a file under .git — not even
 * phasegate's own plan cache, which `run`, `rollback` and `sync` keep for speed.
 */
const PLAN = [
  'version: 1', 'name: p', 'title: P', 'phases:', '  - id: one', '    title: One', '    transform:',
  "      - replace: 'old_call'", "        with: 'new_call'", '    validate:', "      - forbid: 'old_call'", '',
].join('\n');

/** Every folder and file under .git, each file with a hash of its bytes. */
function gitListing(repo: TestRepo): string[] {
  const lines: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(repo.dir, full);
      if (entry.isDirectory()) {
        lines.push(`${relative}/`);
        walk(full);
      } else {
        lines.push(`${relative} ${createHash('sha256').update(readFileSync(full)).digest('hex').slice(0, 16)}`);
      }
    }
  };
  walk(path.join(repo.dir, '.git'));
  return lines;
}

async function expectReadOnly(repo: TestRepo, args: string[], exitCode = 0): Promise<void> {
  const before = gitListing(repo);
  const result = await phasegate(args, { cwd: repo.dir });
  expect(result.exitCode, `${args.join(' ')}\n${result.all}`).toBe(exitCode);
  expect(gitListing(repo), args.join(' ')).toEqual(before);
}

describe('read-only commands write nothing into .git', () => {
  it('before any run: run --dry-run, check, status, verify --phases, rehearse', async () => {
    const repo = makeRepo({ 'a.py': 'old_call(1)\n', 'plans/p.yaml': PLAN });
    await expectReadOnly(repo, ['run', 'p', '--dry-run', '--yes']);
    await expectReadOnly(repo, ['check', 'p']);
    await expectReadOnly(repo, ['status']);
    await expectReadOnly(repo, ['status', 'p', '--json']);
    await expectReadOnly(repo, ['verify', 'p', '--phases', 'one'], 1);
    await expectReadOnly(repo, ['rehearse', 'p']);
  });

  it('after a run, with the plan file edited since and with no plan named (the recorded one)', async () => {
    const repo = makeRepo({ 'a.py': 'old_call(1)\n', 'b.py': 'x = 1\n', 'plans/p.yaml': PLAN });
    expect((await phasegate(['run', 'p', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    // New bytes: a plan the cache has not seen.
    repo.write('plans/p.yaml', `${PLAN}# edited\n`);
    repo.commitAll('edit the plan');
    await expectReadOnly(repo, ['run', 'p', '--dry-run', '--yes']);
    await expectReadOnly(repo, ['status']);
    await expectReadOnly(repo, ['status', 'p']);
    await expectReadOnly(repo, ['verify']);
    await expectReadOnly(repo, ['verify', 'p']);
    await expectReadOnly(repo, ['rehearse']);
    await expectReadOnly(repo, ['rehearse', 'p']);
    await expectReadOnly(repo, ['check', 'p']);
  });

  it('run still keeps its plan cache (the speed it exists for)', async () => {
    const repo = makeRepo({ 'a.py': 'old_call(1)\n', 'plans/p.yaml': PLAN });
    expect((await phasegate(['run', 'p', '--yes'], { cwd: repo.dir })).exitCode).toBe(0);
    expect(readdirSync(path.join(repo.dir, '.git', 'phasegate', 'plans')).filter((name) => name.endsWith('.json'))).toHaveLength(1);
  });
});
