import path from 'node:path';
import { RefusedError } from '../errors.js';
import { GitClient } from '../git/client.js';
import { probeRepository } from '../git/repository-probe.js';
import { currentBranch, findRepoRoot, isTracked } from '../git/state.js';
import { loadPlanCached } from './plans/cached-load.js';
import type { Plan } from '../plan/load.js';
import { resolvePlanPath } from '../plan/resolve.js';
import type { PlanDocument } from '../plan/schema.js';
import type { Journal } from '../state/journal.js';
import { stateDir } from '../state/state-dir.js';

/** Everything a command needs to know about the repository and plan it works on. */
export interface Repository {
  root: string;
  git: GitClient;
  stateDir: string;
  /**
   * Opened by a command that only reads it (`status`, `verify`, `rehearse`, `--dry-run`): nothing
   * is written under .git, not even the plan cache (SPEC: they leave the repository as it was).
   */
  readOnly?: boolean;
}

/**
 * What a run, a rollback and a crash recovery share: the repository, the journal that records what
 * is in progress, and the paths that must never be staged or cleaned. One name for the one idea.
 */
export interface OperationContext {
  root: string;
  git: GitClient;
  journal: Journal;
  neverStage: string[];
}

export interface PlanInRepository {
  plan: Plan;
  doc: PlanDocument;
  /** The plan file's path relative to the repository root, when it lives inside it. */
  planPath: string | undefined;
  /** Paths phasegate must never stage or clean (an untracked plan file in the working tree). */
  neverStage: string[];
}

/** The repository's top folder, or undefined outside one: `check` and `init` also work without a repository. */
export async function repositoryRoot(cwd = process.cwd()): Promise<string | undefined> {
  return findRepoRoot(cwd);
}

export async function openRepository(cwd = process.cwd(), { readOnly = false } = {}): Promise<Repository> {
  // Top folder, git's folders, HEAD, identity and signing settings: two git processes, started
  // as `run`, `rollback` and `status` start (main.ts), else now.
  const facts = await probeRepository(cwd);
  if (!facts) throw new RefusedError(`not inside a git repository: ${cwd} (phasegate checkpoints with git; run 'git init' and commit first)`);
  let git = new GitClient(facts.root);
  if (!facts.hasCommits) throw new RefusedError(await noCommitsReason(git));
  // git's folders are known from the probe: this asks no git.
  const state = await stateDir(git, { create: !readOnly });
  // Checkpoints must not fail on a machine without a git identity (fresh CI runners).
  if (!facts.hasIdentity) {
    git = git.withConfig(['user.name=phasegate', 'user.email=phasegate@localhost']);
  }
  return { root: facts.root, git, stateDir: state, readOnly };
}

/** `tracked` answers whether a path (relative to the root) is tracked; `run` answers it from a listing it asks anyway. */
export async function openPlan(repository: Repository, planArgument: string, cwd = process.cwd(), tracked = (file: string) => isTracked(repository.git, file)): Promise<PlanInRepository> {
  // A plan validated before (same bytes, same phasegate) is read back without the YAML parser and
  // the schema: ~200 ms of start-up, a third of a rollback's own time (see plans/cached-load.ts).
  // A read-only command reads the cache but adds nothing to it.
  const plan = await loadPlanCached(resolvePlanPath(planArgument, repository.root, cwd), cwd, repository.stateDir, { remember: !repository.readOnly });
  const relative = path.relative(repository.root, plan.file).split(path.sep).join('/');
  const planPath = relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative;
  const neverStage = planPath && !(await tracked(planPath)) ? [planPath] : [];
  return { plan, doc: plan.document, planPath, neverStage };
}

/** Why HEAD has no commit: a new repository, or a branch made with `git switch --orphan` in one that has commits. */
async function noCommitsReason(git: GitClient): Promise<string> {
  const [branch, refs] = await Promise.all([
    currentBranch(git).then((branch) => branch ?? 'HEAD'),
    git.run(['for-each-ref', '--count=1', '--format=%(refname)', 'refs/heads', 'refs/tags']).catch(() => ''),
  ]);
  return refs.trim() === ''
    ? 'the repository has no commits yet: commit the starting state first'
    : `the branch ${branch} has no commits yet (an orphan branch): switch to the branch to migrate first; nothing was changed`;
}
