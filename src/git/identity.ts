import type { GitClient } from './client.js';

/**
 * The user's identity as `-c` settings, for commits made in a scratch clone that the user keeps
 * (a clone does not copy the repository's own config); phasegate's fallback when none is set.
 */
export async function identitySettings(git: GitClient): Promise<string[]> {
  const value = async (key: string) => (await git.run(['config', '--get', key]).catch(() => '')).trim();
  const [name, email] = await Promise.all([value('user.name'), value('user.email')]);
  return [`user.name=${name || 'phasegate'}`, `user.email=${email || 'phasegate@localhost'}`];
}
