import { StepError } from '../errors.js';
import type { Structural } from '../plan/schema.js';
import type { CheckContext, Match } from './types.js';

/** Structural (syntax-tree) matching with ast-grep — see issue 4. */
export async function findStructuralMatches(_matcher: Structural, _files: string[], _context: CheckContext): Promise<Match[]> {
  throw new StepError('structural checks are not available in this build');
}
