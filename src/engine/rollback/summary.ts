import { commitSubjects, diffStats } from '../../git/state.js';
import type { Repository } from '../session.js';
import type { RollbackTarget } from './target.js';

/** What a guided rollback shows before asking (prompts/describe.ts turns it into lines). */
export interface RollbackSummary {
  target: string;
  phases: { id: string; title: string; commits: string[]; files: number }[];
}

/**
 * What a guided rollback lists before asking: each phase to undo (newest first) with its commits
 * and the number of files it changed, and any commits made by hand after the last phase tag.
 */
export async function rollbackSummary(repository: Repository, target: RollbackTarget, manual: string[], titles: Map<string, string>, ref = 'HEAD'): Promise<RollbackSummary> {
  const phases: RollbackSummary['phases'] = [];
  if (manual.length > 0) {
    const newest = target.undo[0]?.commit ?? target.target.commit;
    const stats = await diffStats(repository.git, newest, ref);
    phases.push({ id: '(manual)', title: 'commits made after the last phase tag', commits: await commitSubjects(repository.git, `${newest}..${ref}`), files: stats.files.length });
  }
  for (let index = 0; index < target.undo.length; index++) {
    const tag = target.undo[index];
    const before = target.undo[index + 1]?.commit ?? target.target.commit;
    const stats = await diffStats(repository.git, before, tag.commit);
    phases.push({ id: tag.phase, title: titles.get(tag.phase) ?? tag.phase, commits: await commitSubjects(repository.git, `${before}..${tag.commit}`), files: stats.files.length });
  }
  return { target: target.target.name, phases };
}
