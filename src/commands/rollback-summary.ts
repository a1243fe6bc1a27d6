import type { Repository } from '../engine/session.js';

/** What a guided rollback shows before asking. The question itself lives in src/prompts/. */
export interface RollbackSummary {
  target: string;
  strategy: 'reset' | 'revert';
  manual: string[];
  phases: { id: string; title: string; commit: string }[];
}

export async function confirmRollbackSummary(summary: RollbackSummary, repository: Repository): Promise<boolean> {
  void summary;
  void repository;
  return true;
}
