import type { Structural } from '../plan/schema.js';
import { specOfCheck } from '../structural/matcher.js';
import { requiredWords } from '../structural/prefilter.js';
import { scanFiles } from '../structural/scan.js';
import { filesOfLanguage } from '../structural/scope.js';
import type { CheckContext, Match } from './types.js';

/**
 * forbid/require/count with `{pattern | rule, language}`: matches on the syntax tree, reported on
 * the line each starts, like the regex form. Loaded only when such a check runs (matches.ts).
 */
export async function findStructuralMatches(matcher: Structural, files: string[], context: CheckContext, ownFiles?: unknown): Promise<Match[]> {
  const spec = specOfCheck(matcher);
  const inScope = filesOfLanguage(files, matcher.language, ownFiles);
  const result = await scanFiles({ kind: 'find', root: context.root, matcher: spec }, inScope, requiredWords(spec), context);
  return result.outcomes.flatMap((outcome) => outcome.matches ?? []);
}
