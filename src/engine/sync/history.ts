import { RefusedError } from '../../errors.js';
import type { GitClient } from '../../git/client.js';
import type { TagInfo } from '../../git/tags.js';
import type { PhaseState } from '../plan-state.js';

/**
 * The migration branch read as sync replays it: commits a person added before the first phase,
 * then each tagged phase's commit followed by the commits a person added after it (up to the next
 * phase's commit). Read along the first-parent line from the base tag to the branch tip.
 */
export interface PhaseSegment {
  state: PhaseState;
  tag: TagInfo;
  /** The phase's commit and the commit it was made on. */
  commit: string;
  start: string;
  /** Commits a person made after this phase, oldest first: carried over after it. */
  carried: string[];
}

export interface MigrationHistory {
  carriedBeforeFirst: string[];
  phases: PhaseSegment[];
}

export async function readHistory(git: GitClient, base: TagInfo, tip: string, phases: PhaseState[]): Promise<MigrationHistory> {
  const tagged = phases.filter((phase): phase is PhaseState & { tag: TagInfo } => Boolean(phase.tag));
  const byCommit = new Map(tagged.map((phase) => [phase.tag.commit, phase]));
  const lines = await git.lines(['rev-list', '--reverse', '--first-parent', '--parents', `${base.commit}..${tip}`]);
  const history: MigrationHistory = { carriedBeforeFirst: [], phases: [] };
  let carried = history.carriedBeforeFirst;
  for (const line of lines) {
    const [commit, ...parents] = line.split(' ');
    const phase = byCommit.get(commit);
    if (phase) {
      const segment: PhaseSegment = { state: phase, tag: phase.tag, commit, start: parents[0], carried: [] };
      history.phases.push(segment);
      carried = segment.carried;
      continue;
    }
    if (parents.length > 1) {
      throw new RefusedError(`the migration branch has a merge commit (${commit.slice(0, 10)}); sync replays phases and carries single commits, not merges: ` +
        `undo the merge (or rebase it away) and run sync again (nothing was changed)`);
    }
    carried.push(commit);
  }
  const found = history.phases.map((segment) => segment.state.phase.id);
  const expected = tagged.map((phase) => phase.phase.id);
  if (found.join() !== expected.join()) {
    const missing = expected.find((id) => !found.includes(id)) ?? expected[found.length];
    throw new RefusedError(`the tag of phase '${missing}' is not on the migration branch between its base and tip (or the tags are out of order), so sync cannot tell what to replay; ` +
      `check 'phasegate status' (nothing was changed)`);
  }
  return history;
}
