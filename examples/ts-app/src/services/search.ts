import { makeLogger } from '../lib/logger';
import { slugify } from '../utils/strings';

export function searchIndex(titles: string[]): Map<string, string> {
  const log = makeLogger('search');
  const index = new Map(titles.map((title) => [slugify(title), title] as [string, string]));
  log.log('info', 'indexed', { count: index.size });
  return index;
}

/** Shown in the admin UI's migration guide; a string, not a call. */
export const LOGGER_HINT = "makeLogger('search') is deprecated: write createLogger({ name: 'search' })";
