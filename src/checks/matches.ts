import type { Matcher } from '../plan/schema.js';
import { Confinement } from '../scope/confine.js';
import { describeRegex } from '../regex/compile.js';
import { runRegexJob } from '../regex/in-worker.js';
import type { QueryOutcome } from '../regex/jobs.js';
import { requiredLiteral } from '../scope/literal.js';
import type { CheckContext, Match, MatchSource } from './types.js';

export { matchLines } from '../regex/match-lines.js';

/**
 * Lines in scope that a regex (multiline, as in `replace`) or a structural pattern matches.
 * A match is reported on the line where it starts; several matches on one line count once.
 * Regexes run on the regex worker, under the check's `timeout:` (regex/in-worker.ts).
 */
export interface MatchOptions { literal?: boolean; files?: string | string[]; timeout?: string | number }

/** The matching lines, and the files in scope that were not read as UTF-8 text. */
import type { MatchScan } from '../scope/match.js';
export type { MatchScan };

export async function findMatches(matcher: Matcher, options: MatchOptions, context: CheckContext): Promise<Match[]> {
  return (await scanMatches(matcher, options, context)).matches;
}

export async function scanMatches(matcher: Matcher, options: MatchOptions, context: CheckContext): Promise<MatchScan> {
  const batched = context.batch?.matches(options, context);
  if (batched) return batched;
  const files = context.files.select(options.files ?? context.defaultFiles);
  if (typeof matcher !== 'string') {
    const { findStructuralMatches } = await import('./structural.js');
    return findStructuralMatches(matcher, files, context, options.files, options.timeout);
  }
  const [scan] = await scanRegexes([{ source: matcher, literal: options.literal }], files, options.timeout, context);
  return scan;
}

interface RegexQuery { source: string; literal?: boolean }

/** One pass over `files` for several regexes (each file read once), on the regex worker. */
async function scanRegexes(queries: readonly RegexQuery[], inScope: string[], timeout: string | number | undefined, context: CheckContext): Promise<MatchScan[]> {
  // Never read outside the working tree: files beyond a symlinked folder are not the repository's.
  const files = new Confinement(context.root).inside(inScope);
  const outcomes: QueryOutcome[] = await runRegexJob(
    {
      kind: 'scan', root: context.root, files,
      queries: queries.map((query) => ({ ...query, prefilter: query.literal ? query.source : requiredLiteral(query.source) })),
    },
    {
      signal: context.signal, timeout, name: (index) => describeRegex(queries[index]?.source ?? queries[0].source),
      progress: (done, total, found) => context.progress(`scanned ${done}/${total} files · ${found} matching lines`),
    },
  );
  return outcomes;
}

/**
 * The regex checks of a phase, scanned together. Asked for one check's matches, it scans that
 * check and the regex checks after it in one pass, up to the next `run` check (a command may change
 * files, so the checks after it must see its effect, as they would one by one). Only checks with
 * the same `files` and `timeout` share a pass. A new batch is made for each round of checks, and
 * one for the "before" counts.
 */
export class MatchBatch implements MatchSource {
  private readonly results = new Map<object, Promise<MatchScan>>();

  constructor(private readonly checks: readonly object[]) {}

  matches(check: object, context: CheckContext): Promise<MatchScan> | undefined {
    const start = this.checks.indexOf(check);
    if (start < 0 || !regexOf(check)) return undefined;
    if (!this.results.has(check)) {
      const segment: object[] = [];
      for (const next of this.checks.slice(start)) {
        if ('run' in next) break;
        if (regexOf(next) && !this.results.has(next) && scopeKey(next) === scopeKey(check)) segment.push(next);
      }
      const options = check as MatchOptions;
      const files = context.files.select(options.files ?? context.defaultFiles);
      const scan = scanRegexes(segment.map((entry) => ({ source: regexOf(entry)!, literal: (entry as MatchOptions).literal })), files, options.timeout, context);
      // Each check's promise settles with the scan; a failed scan fails each check that asks, and
      // is not an unhandled rejection for the checks that never ask (the run stopped first).
      segment.forEach((entry, index) => {
        const result = scan.then((all) => all[index]);
        result.catch(() => undefined);
        this.results.set(entry, result);
      });
    }
    const result = this.results.get(check);
    // Each check asks once per round: its matches need not outlive it here.
    this.results.delete(check);
    return result;
  }
}

const MATCH_KEYS = ['forbid', 'require', 'count'] as const;

function regexOf(check: object): string | undefined {
  const key = MATCH_KEYS.find((name) => name in check);
  const matcher = key ? (check as Record<string, unknown>)[key] : undefined;
  return typeof matcher === 'string' ? matcher : undefined;
}

function scopeKey(check: object): string {
  return JSON.stringify([(check as MatchOptions).files ?? null, (check as MatchOptions).timeout ?? null]);
}

export function describeMatcher(matcher: Matcher): string {
  if (typeof matcher === 'string') return describeRegex(matcher);
  return `${matcher.pattern ?? 'rule'} (${matcher.language})`;
}

export const MATCHES_KEPT = 200;
