import { RefusedError } from '../errors.js';
import type { GitClient } from './client.js';
import { TAG_PREFIX } from './names.js';

/** Phase tags of a plan, read in one `for-each-ref` call. */
export interface TagInfo {
  /** Tag name, e.g. `phasegate/my-plan/imports`. */
  name: string;
  /** The last part of the name: a phase id or `base`. */
  phase: string;
  commit: string;
  date: string;
  message: string;
  /** An annotated tag (a tag object with a message), as phasegate makes them; false for a lightweight one. */
  annotated: boolean;
}

const FIELD = '%00';
const RECORD = '%01';

export async function readPlanTags(git: GitClient, plan: string): Promise<Map<string, TagInfo>> {
  const own = `${TAG_PREFIX}/${plan}`;
  const prefix = `refs/tags/${own}/`;
  const format = ['%(refname)', '%(objecttype)', '%(objectname)', '%(*objectname)', '%(creatordate:iso-strict)', '%(contents)'].join(FIELD) + RECORD;
  // Without the trailing slash the pattern also matches a tag named just `phasegate/<plan>`.
  const output = await git.run(['for-each-ref', `--format=${format}`, `refs/tags/${own}`]);
  const tags = new Map<string, TagInfo>();
  for (const record of output.split('\x01')) {
    const [ref, type, object, peeled, date, message] = record.replace(/^\n/, '').split('\0');
    if (!ref) continue;
    if (ref === `refs/tags/${own}`) {
      // git keeps refs as paths: that tag is a file where the plan's tags need a folder.
      throw new RefusedError(`a tag named ${own} is in the way of this plan's tags (${own}/<phase>), which git cannot create beside it: rename or delete it (git tag -d ${own}); nothing was changed`);
    }
    const name = ref.slice('refs/tags/'.length);
    const phase = ref.slice(prefix.length);
    if (phase.includes('/')) continue;
    tags.set(phase, { name, phase, commit: peeled || object, date, message: message ?? '', annotated: type === 'tag' });
  }
  return tags;
}

/** Names of plans that have a base tag in this repository. */
export async function plansWithTags(git: GitClient): Promise<string[]> {
  const refs = await git.lines(['for-each-ref', '--format=%(refname)', `refs/tags/${TAG_PREFIX}/`]);
  const plans = new Set<string>();
  for (const ref of refs) {
    const parts = ref.split('/');
    if (parts.length === 5) plans.add(parts[3]);
  }
  return [...plans].sort();
}
