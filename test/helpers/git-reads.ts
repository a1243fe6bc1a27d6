import { readFileSync } from 'node:fs';
import type { TestRepo } from './repo.js';

/**
 * What tests read back from a repository to check what phasegate did: which branch is checked
 * out, where a tag points, which tree a revision has, what `git status` lists.
 */
export const branchOf = (repo: TestRepo) => repo.git('symbolic-ref', '--short', 'HEAD').trim();

/** The commit a phase tag (`phasegate/<plan>/<phase>`) points at. */
export const tagCommit = (repo: TestRepo, plan: string, phase: string) => repo.git('rev-parse', `phasegate/${plan}/${phase}^{commit}`).trim();

export const treeOf = (repo: TestRepo, rev: string) => repo.git('rev-parse', `${rev}^{tree}`).trim();

/** Changes and every untracked file (also inside untracked folders), as `git status --porcelain` lists them. */
export const statusAll = (repo: TestRepo) => repo.git('status', '--porcelain', '--untracked-files=all');

/** The lines a rollback step or hook appended to a log file (none when it was never written). */
export const logLines = (log: string) => { try { return readFileSync(log, 'utf8').split('\n').filter(Boolean); } catch { return []; } };
