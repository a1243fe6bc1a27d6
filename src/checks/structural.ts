import type { Structural } from '../plan/schema.js';
import { withDeadline } from '../process/deadline.js';
import { specOfCheck } from '../structural/matcher.js';
import { requiredWords } from '../structural/prefilter.js';
import { scanFiles } from '../structural/scan.js';
import { filesOfLanguage } from '../structural/scope.js';
import type { CheckContext, Match } from './types.js';

/**
 * forbid/require/count with `{pattern | rule, language}`: matches on the syntax tree, reported on
 * the line each starts, like the regex form. Loaded only when such a check runs (matches.ts).
 * The scan yields between files, so the check's `timeout:` stops it through its abort signal.
 */
export async function findStructuralMatches(matcher: Structural, files: string[], context: CheckContext, ownFiles?: unknown, timeout?: string | number): Promise<{ matches: Match[]; binary: string[]; latin1: string[] }> {
  const spec = specOfCheck(matcher);
  const inScope = filesOfLanguage(files, matcher.language, ownFiles);
  const deadline = withDeadline(context.signal, timeout);
  try {
    const result = await scanFiles({ kind: 'find', root: context.root, matcher: spec }, inScope, requiredWords(spec), { ...context, signal: deadline.signal });
    return { matches: result.outcomes.flatMap((outcome) => outcome.matches ?? []), ...result.unread };
  } finally {
    deadline.dispose();
  }
}
