import type { GitClient } from './client.js';

/**
 * An annotated tag object named `name` (as `git tag` would name it), kept on `ref` instead of
 * `refs/tags/<name>`: an in-place sync's replay makes its tags this way, so that the user's tag
 * of the same name stays where it is until the publication moves it to this very object. Unsigned,
 * as the scratch clone's tags are (their signing is off: nothing made during a replay is signed).
 */
export async function createTagAt(git: GitClient, ref: string, name: string, commit: string, message: string): Promise<string> {
  const tagger = (await git.run(['var', 'GIT_COMMITTER_IDENT'])).trim();
  const object = (await git.run(['mktag'], { input: `object ${commit}\ntype commit\ntag ${name}\ntagger ${tagger}\n\n${message}` })).trim();
  await git.run(['update-ref', '-m', `phasegate: ${name}`, ref, object]);
  return object;
}
