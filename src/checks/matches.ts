import path from 'node:path';
import type { Matcher } from '../plan/schema.js';
import { Confinement } from '../scope/confine.js';
import { readTextFile } from '../scope/text.js';
import { requiredLiteral } from '../scope/literal.js';
import { forEachFile } from '../transforms/batches.js';
import { escapeRegExp } from '../transforms/replace.js';
import type { CheckContext, Match, MatchSource } from './types.js';

/**
 * Lines in scope that a regex (multiline, as in `replace`) or a structural pattern matches.
 * A match is reported on the line where it starts; several matches on one line count once.
 */
export interface MatchOptions { literal?: boolean; files?: string | string[] }

export async function findMatches(matcher: Matcher, options: MatchOptions, context: CheckContext): Promise<Match[]> {
  const files = context.files.select(options.files ?? context.defaultFiles);
  if (typeof matcher !== 'string') {
    const { findStructuralMatches } = await import('./structural.js');
    return findStructuralMatches(matcher, files, context, options.files);
  }
  const batched = context.batch?.matches(options, context);
  if (batched) return batched;
  const [matches] = await scanRegexes([{ source: matcher, literal: options.literal }], files, context);
  return matches;
}

interface RegexQuery { source: string; literal?: boolean }

/**
 * One pass over `files` for several regexes: each file is read once, tested for every regex's
 * required text, and decoded at most once. Returns the matches of each regex, in file order.
 */
async function scanRegexes(queries: readonly RegexQuery[], inScope: readonly string[], context: CheckContext): Promise<Match[][]> {
  // Never read outside the working tree: files beyond a symlinked folder are not the repository's.
  const files = new Confinement(context.root).inside(inScope);
  const compiled = queries.map((query) => ({
    pattern: new RegExp(query.literal ? escapeRegExp(query.source) : query.source, 'gm'),
    prefilter: query.literal ? query.source : requiredLiteral(query.source),
  }));
  // The file is read only if it may match at least one of them.
  const prefilters = compiled.every((entry) => entry.prefilter !== undefined) ? compiled.map((entry) => entry.prefilter!) : undefined;
  const results: Match[][] = compiled.map(() => []);
  let found = 0;
  const base = context.root.endsWith(path.sep) ? context.root : `${context.root}${path.sep}`;
  await forEachFile(files, context.signal, (file) => {
    const read = readTextFile(base + file, prefilters);
    if (read === undefined || 'skipped' in read) return;
    compiled.forEach((entry, index) => {
      if (entry.prefilter !== undefined && !read.text.includes(entry.prefilter)) return;
      const lines = matchLines(read.text, entry.pattern, file);
      found += lines.length;
      for (const line of lines) results[index].push(line);
    });
  }, (done, total) => context.progress(`scanned ${done}/${total} files · ${found} matching lines`));
  return results;
}

/**
 * The regex checks of a phase, scanned together. Asked for one check's matches, it scans that
 * check and the regex checks after it in one pass, up to the next `run` check (a command may change
 * files, so the checks after it must see its effect, as they would one by one). A new batch is
 * made for each round of checks, and one for the "before" counts.
 */
export class MatchBatch implements MatchSource {
  private readonly results = new Map<object, Promise<Match[]>>();

  constructor(private readonly checks: readonly object[]) {}

  matches(check: object, context: CheckContext): Promise<Match[]> | undefined {
    const start = this.checks.indexOf(check);
    if (start < 0 || !regexOf(check)) return undefined;
    if (!this.results.has(check)) {
      const segment: object[] = [];
      for (const next of this.checks.slice(start)) {
        if ('run' in next) break;
        if (regexOf(next) && !this.results.has(next) && scopeKey(next) === scopeKey(check)) segment.push(next);
      }
      const files = context.files.select((check as MatchOptions).files ?? context.defaultFiles);
      const scan = scanRegexes(segment.map((entry) => ({ source: regexOf(entry)!, literal: (entry as MatchOptions).literal })), files, context);
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
  return JSON.stringify((check as MatchOptions).files ?? null);
}

export function matchLines(text: string, pattern: RegExp, file: string): Match[] {
  const found: Match[] = [];
  let lineStarts: number[] | undefined;
  let lastLine = -1;
  pattern.lastIndex = 0;
  for (const match of text.matchAll(pattern)) {
    lineStarts ??= startsOfLines(text);
    const line = lineAt(lineStarts, match.index);
    if (line === lastLine) continue;
    lastLine = line;
    const start = lineStarts[line];
    const end = text.indexOf('\n', start);
    found.push({ file, line: line + 1, text: ownCopy(text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '')) });
  }
  return found;
}

/**
 * V8 keeps a slice of a string as a view into the whole string: every match would keep its file's
 * text alive for as long as the report holds it (tens of MB over 20,000 files). Concatenating and
 * slicing again makes a copy of just the line.
 */
function ownCopy(line: string): string {
  return ` ${line}`.slice(1);
}

function startsOfLines(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function lineAt(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

export function describeMatcher(matcher: Matcher): string {
  if (typeof matcher === 'string') return `/${matcher.length > 50 ? `${matcher.slice(0, 49)}…` : matcher}/`;
  return `${matcher.pattern ?? 'rule'} (${matcher.language})`;
}

export const MATCHES_KEPT = 200;
