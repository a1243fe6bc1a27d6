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
 *   replacement and holds code the fix did not write (an enclosing call that matches only now)
 *   asks for another pass — the fix's own output matching again does not (it is never rewritten
 *   twice, once-each.ts);
 * - it parses before but not after: the fix broke the syntax (an error, line given);
 * - it did not parse before either (the lines are part of something larger: an `else:` branch,
 *   half of a multi-line string): no verdict here; the file gets another CLI pass, in case the
 *   rewrite made a new match there.
 *
 * Lines taken out of their file parse in a context that makes them legal where one is known:
 * statements inside a function in Go and Rust, members and statements inside a class in Java and
 * TypeScript, indented Python under `if 1:`. The first context the window parses in before the
 * rewrite is the one it is judged in after.
 */
export interface Span { start: number; end: number }
export interface Replacement { before: Span; after: Span }
export interface Verdict { again: boolean; brokenLine?: number }

type Context = { prefix: string; suffix: string };
const RAW: Context = { prefix: '', suffix: '' };
const CONTEXTS: Record<string, Context[]> = {
  go: [RAW, { prefix: 'func _() {\n', suffix: '\n}' }],
  rust: [RAW, { prefix: 'fn _() {\n', suffix: '\n}' }],
  java: [RAW, { prefix: 'class _ {\n', suffix: '\n}' }, { prefix: 'class _ { void _() {\n', suffix: '\n}}' }],
  typescript: [RAW, { prefix: 'class _ {\n', suffix: '\n}' }],
  tsx: [RAW, { prefix: 'class _ {\n', suffix: '\n}' }],
  javascript: [RAW, { prefix: 'class _ {\n', suffix: '\n}' }],
};

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
    const context = this.contextsFor(group.beforeText).find((candidate) => !firstBroken(this.parse(group.beforeText, candidate)));
    if (!context) return 'unknown';
    const after = this.parse(group.afterText, context);
    if (firstBroken(after)) return 'broken';
    for (const node of after.findAll(this.config)) {
      const range = node.range();
      const start = range.start.index - context.prefix.length;
      const end = range.end.index - context.prefix.length;
      const touches = group.spans.some((span) => start < span.end && span.start < end || (span.start === span.end && start <= span.start && span.start <= end));
      if (touches && !group.spans.some((span) => span.start <= start && end <= span.end)) return 'again';
    }
    return 'settled';
  }

  private contextsFor(text: string): Context[] {
    if (this.language === 'python') return [/^[ \t]/.test(text) ? { prefix: 'if 1:\n', suffix: '' } : RAW];
    return CONTEXTS[this.language] ?? [RAW];
  }

  private parse(text: string, context: Context): SgNode {
    return loadNapi().parse(this.language, context.prefix + text + context.suffix).root();
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
