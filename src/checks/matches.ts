import path from 'node:path';
import type { Matcher } from '../plan/schema.js';
import { readTextFile } from '../scope/text.js';
import { requiredLiteral } from '../scope/literal.js';
import { forEachFile } from '../transforms/batches.js';
import { escapeRegExp } from '../transforms/replace.js';
import type { CheckContext, Match } from './types.js';

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
  const pattern = new RegExp(options.literal ? escapeRegExp(matcher) : matcher, 'gm');
  const prefilter = options.literal ? matcher : requiredLiteral(matcher);
  const matches: Match[] = [];
  await forEachFile(files, context.signal, (file) => {
    const read = readTextFile(path.join(context.root, file), prefilter);
    if (read === undefined || 'skipped' in read) return;
    matches.push(...matchLines(read.text, pattern, file));
  }, (done, total) => context.progress(`scanned ${done}/${total} files · ${matches.length} matching lines`));
  return matches;
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
    found.push({ file, line: line + 1, text: text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '') });
  }
  return found;
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
