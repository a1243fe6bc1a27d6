import { expect } from 'vitest';
import { phasegate } from './cli.js';
import { fromTemplate, makeRepo, type TestRepo } from './repo.js';

/**
 * `phasegate sync`: replay the tagged phases of a migration branch on a base that moved.
 * Phase 1 rewrites a deprecated import (forbid check), phase 2 rewrites one exact call.
 */
export const PLAN = `version: 1
name: mig
files: ["**/*.py"]
phases:
  - id: imports
    title: New import path
    transform:
      - replace: 'from old\\.mod import'
        with: 'from new.mod import'
    validate:
      - forbid: 'from old\\.mod import'
  - id: calls
    title: Log instead of print
    transform:
      - replace: 'print(thing)'
        literal: true
        with: 'log(thing)'
    validate:
      - forbid: 'print\\(thing'
`;

export const FILES = {
  'app/a.py': 'from old.mod import thing\nprint(thing)\n',
  'app/b.py': 'from old.mod import thing\nx = thing\n',
  'plans/mig.yaml': PLAN,
};

export const BRANCH = 'phasegate/mig';

/** The plan run to the end on its migration branch: built once per test file, a fresh copy for each test (fromTemplate). */
export async function migrated(): Promise<TestRepo> {
  return fromTemplate('sync-repo:migrated', async () => {
    const repo = makeRepo(FILES);
    const run = await phasegate(['run', 'mig', '--yes'], { cwd: repo.dir });
    expect(run.exitCode, run.all).toBe(0);
    expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe(BRANCH);
    return repo;
  });
}

/** Commit on main, then back on the migration branch (`branch`, this plan's by default). */
export function onMain(repo: TestRepo, change: () => void, branch = BRANCH): void {
  repo.git('checkout', '-q', 'main');
  change();
  repo.commitAll('main moves on');
  repo.git('checkout', '-q', branch);
}

export function planRefs(repo: TestRepo): Record<string, string> {
  const lines = repo.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/tags/phasegate/mig/', `refs/heads/${BRANCH}`).trim().split('\n');
  return Object.fromEntries(lines.map((line) => line.split(' ') as [string, string]));
}

export const tagCommit = (repo: TestRepo, phase: string) => repo.git('rev-parse', `phasegate/mig/${phase}^{commit}`).trim();

