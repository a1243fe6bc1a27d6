import type { MatchScan } from '../scope/match.js';
import type { CheckContext, MatchSource } from './types.js';

/**
 * Scans made already for some checks, given back once each; the other checks ask `rest`. A phase
 * without transform steps hands its "before" scans to its checks this way: the files and what
 * they hold are the same, so scanning them again could only find the same lines (phase-run.ts
 * says when that holds).
 */
export class ReusedScans implements MatchSource {
  constructor(private readonly known: Map<object, MatchScan>, private readonly rest: MatchSource) {}

  matches(check: object, context: CheckContext): Promise<MatchScan> | undefined {
    const scan = this.known.get(check);
    if (!scan) return this.rest.matches(check, context);
    this.known.delete(check);
    return Promise.resolve(scan);
  }

  /** The files changed after all: every check scans. */
  forget(): void {
    this.known.clear();
  }
}
