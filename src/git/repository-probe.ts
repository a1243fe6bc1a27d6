import { GitClient } from './client.js';
import { rememberGitPaths, type GitPaths } from './paths.js';
import { SIGNING, signingOn } from './signing.js';

/** What every command that opens a repository asks first. */
export interface RepositoryFacts {
  root: string;
  paths: GitPaths;
  hasCommits: boolean;
  /** `user.email` is set somewhere git looks (else checkpoints get a fallback identity). */
  hasIdentity: boolean;
  /** The signing settings that are on (signing.ts checks that git can sign before a run changes anything). */
  signing: string[];
}

const probes = new Map<string, Promise<RepositoryFacts | undefined>>();

/**
 * The top folder, git's own folders and whether HEAD has a commit, in one `rev-parse` (they used
 * to be three git processes, asked one after the other), and beside it one `config` for the
 * identity and the signing settings (two processes before). `run` and
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
  const [where, config] = await Promise.all([
    // Without a commit, `--verify` fails (exit 1) after the paths are printed; outside a work tree
    // nothing is printed (exit 128). `--path-format=absolute` holds for the options after it.
    git.attempt(['rev-parse', '--show-toplevel', '--path-format=absolute', '--absolute-git-dir', '--git-common-dir', '--git-path', 'index.lock', '--verify', '--quiet', 'HEAD']),
    // bool-or-str: signing values read as --type=bool gives them (yes, on, 1 → true), the email as it is.
    git.attempt(['config', '--type=bool-or-str', '-z', '--get-regexp', `^user\\.email$|${SIGNING.source}`]),
  ]);
  // -z: `key\nvalue\0` per entry (`key\0` for a key without a value); exit 1 when none is set.
  const settings = config.code === 0 ? config.stdout.split('\0').filter(Boolean).map((entry) => {
    const newline = entry.indexOf('\n');
    return newline < 0 ? [entry, undefined] as const : [entry.slice(0, newline), entry.slice(newline + 1)] as const;
  }) : [];
  const lines = where.stdout.split('\n').filter((line) => line !== '');
  if ((where.code !== 0 && where.code !== 1) || lines.length < 4) return undefined;
  const [root, gitDir, commonDir, indexLock] = lines;
  const paths = { gitDir, commonDir, indexLock };
  rememberGitPaths(root, paths);
  return {
    root, paths, hasCommits: where.code === 0 && lines.length === 5,
    hasIdentity: settings.some(([key]) => key === 'user.email'), signing: signingOn(settings),
  };
}
