import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { loadNapi, napiLanguage } from './napi.js';
import { napiConfig, type MatcherSpec } from './matcher.js';
import { firstBroken } from './tree.js';

/**
 * Whether a file the CLI just rewrote is finished, judged without parsing it whole (parsing is the
 * dear part, and the CLI already did it once). Only the lines around each replacement — its
 * "window" — are parsed, before and after, in this process:
 *
 * - the window parses after: the fix broke nothing there; a match of the matcher that overlaps a
 *   replacement (the fix's output matching again, or an enclosing call that matches only now)
 *   asks for another pass;
 * - it parses before but not after: the fix broke the syntax (an error, line given);
 * - it did not parse before either (the lines are part of something larger: an `else:` branch,
 *   a statement outside a function in Go): no verdict here, the next CLI pass over the whole
 *   file decides.
 *
 * Python windows that start indented are parsed under `if 1:`, so that their indentation is legal.
 */
export interface Span { start: number; end: number }
export interface Replacement { before: Span; after: Span }
export interface Verdict { again: boolean; brokenLine?: number }

const PYTHON_BLOCK = 'if 1:\n';

export class RewriteWindows {
  private readonly language: string;
  private readonly config: NapiConfig;
  private readonly memo = new Map<string, WindowVerdict>();

  constructor(spec: MatcherSpec) {
    this.language = napiLanguage(spec.language);
    this.config = napiConfig(spec);
  }

  judge(before: string, after: string, replacements: readonly Replacement[]): Verdict {
    let again = false;
    for (const group of groups(before, after, replacements)) {
      const verdict = this.judgeWindow(group);
      if (verdict === 'unknown') again = true;
      else if (verdict === 'again') again = true;
      else if (verdict === 'broken') return { again, brokenLine: lineOf(after, group.afterStart) };
    }
    return { again };
  }

  private judgeWindow(group: Group): WindowVerdict {
    const key = `${group.beforeText}\0${group.afterText}\0${group.spans.map((span) => `${span.start},${span.end}`).join(';')}`;
    const known = this.memo.get(key);
    if (known) return known;
    const verdict = this.compute(group);
    if (this.memo.size >= 4096) this.memo.clear();
    this.memo.set(key, verdict);
    return verdict;
  }

  private compute(group: Group): WindowVerdict {
    const afterWindow = this.parse(group.afterText);
    if (firstBroken(afterWindow.root)) return firstBroken(this.parse(group.beforeText).root) ? 'unknown' : 'broken';
    for (const node of afterWindow.root.findAll(this.config)) {
      const range = node.range();
      const start = range.start.index - afterWindow.shift;
      const end = range.end.index - afterWindow.shift;
      if (group.spans.some((span) => start < span.end && span.start < end || (span.start === span.end && start <= span.start && span.start <= end))) return 'again';
    }
    return 'settled';
  }

  private parse(text: string): { root: SgNode; shift: number } {
    const block = this.language === 'python' && /^[ \t]/.test(text) ? PYTHON_BLOCK : '';
    return { root: loadNapi().parse(this.language, block + text).root(), shift: block.length };
  }
}

type WindowVerdict = 'settled' | 'again' | 'broken' | 'unknown';

/** Replacements whose lines touch, with the whole lines around them, before and after. */
interface Group { beforeText: string; afterText: string; afterStart: number; spans: Span[] }

function groups(before: string, after: string, replacements: readonly Replacement[]): Group[] {
  const out: Group[] = [];
  let current: { replacements: Replacement[]; beforeEnd: number; afterEnd: number } | undefined;
  const flush = () => {
    if (!current) return;
    const first = current.replacements[0];
    const beforeStart = lineStart(before, first.before.start);
    const afterStart = lineStart(after, first.after.start);
    out.push({
      beforeText: before.slice(beforeStart, current.beforeEnd),
      afterText: after.slice(afterStart, current.afterEnd),
      afterStart,
      spans: current.replacements.map(({ after: span }) => ({ start: span.start - afterStart, end: span.end - afterStart })),
    });
  };
  for (const replacement of replacements) {
    const afterStart = lineStart(after, replacement.after.start);
    if (current && afterStart < current.afterEnd) {
      current.replacements.push(replacement);
      current.beforeEnd = lineEnd(before, replacement.before.end);
      current.afterEnd = lineEnd(after, replacement.after.end);
    } else {
      flush();
      current = { replacements: [replacement], beforeEnd: lineEnd(before, replacement.before.end), afterEnd: lineEnd(after, replacement.after.end) };
    }
  }
  flush();
  return out;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}
