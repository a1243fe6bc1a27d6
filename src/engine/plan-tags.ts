import { RefusedError } from '../errors.js';
import type { GitClient } from '../git/client.js';
import { readPlanTags, type TagInfo } from '../git/tags.js';
import { foreignTagReason } from '../git/tag-record.js';

/**
 * A plan's tags as the engine may trust them: every tag under `phasegate/<plan>/` must be one
 * phasegate made for this plan, or the command refuses (exit 2) before anything changes. A
 * hand-made tag would otherwise be taken for a finished phase (and skipped), or for a checkpoint
 * to roll back to; guessing either way could lose work, so the user decides by deleting it.
 */
export async function readPhasegateTags(git: GitClient, plan: string): Promise<Map<string, TagInfo>> {
  const tags = await readPlanTags(git, plan);
  for (const tag of tags.values()) {
    const reason = foreignTagReason(tag, plan);
    if (reason) {
      throw new RefusedError(`the tag ${tag.name} was not made by phasegate (it ${reason}), so it cannot stand for a checkpoint: ` +
        `delete it with 'git tag -d ${tag.name}' (or rename it out of ${tag.name.slice(0, tag.name.lastIndexOf('/') + 1)}) and run again`);
    }
  }
  return tags;
}
