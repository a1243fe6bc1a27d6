import { GitClient } from './client.js';
import { rememberGitPaths, type GitPaths } from './paths.js';

/** What every command that opens a repository asks first. */
export interface RepositoryFacts {
  root: string;
  paths: GitPaths;
  hasCommits: boolean;
  /** `user.email` is set somewhere git looks (else checkpoints get a fallback identity). */
  hasIdentity: boolean;
}

const probes = new Map<string, Promise<RepositoryFacts | undefined>>();

/**
 * The top folder, git's own folders and whether HEAD has a commit, in one `rev-parse` (they used
 * to be three git processes, asked one after the other), and the identity beside it. `run` and
 * `rollback` start this as the process starts (main.ts), while their modules load. Undefined
 * outside a work tree. Remembered per cwd for the life of the process, but only a repository with
 * commits: `init` may create one afterwards, and a repository without commits is refused anyway.
 */
export function probeRepository(cwd: string): Promise<RepositoryFacts | undefined> {
  const known = probes.get(cwd);
  if (known) return known;
  const asked = askRepository(cwd);
  probes.set(cwd, asked);
  void asked.then((facts) => {
    if (!facts?.hasCommits) probes.delete(cwd);
  }, () => probes.delete(cwd));
  return asked;
}

/** The probe already started for `cwd`, if any (findRepoRoot takes its answer instead of asking). */
export function startedProbe(cwd: string): Promise<RepositoryFacts | undefined> | undefined {
  return probes.get(cwd);
}

async function askRepository(cwd: string): Promise<RepositoryFacts | undefined> {
  const git = new GitClient(cwd);
  const [where, identity] = await Promise.all([
    // Without a commit, `--verify` fails (exit 1) after the paths are printed; outside a work tree
    // nothing is printed (exit 128). `--path-format=absolute` holds for the options after it.
    git.attempt(['rev-parse', '--show-toplevel', '--path-format=absolute', '--absolute-git-dir', '--git-common-dir', '--git-path', 'index.lock', '--verify', '--quiet', 'HEAD']),
    git.succeeds(['config', 'user.email']),
  ]);
  const lines = where.stdout.split('\n').filter((line) => line !== '');
  if ((where.code !== 0 && where.code !== 1) || lines.length < 4) return undefined;
  const [root, gitDir, commonDir, indexLock] = lines;
  const paths = { gitDir, commonDir, indexLock };
  rememberGitPaths(root, paths);
  return { root, paths, hasCommits: where.code === 0 && lines.length === 5, hasIdentity: identity };
}
