import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { loadNapi, napiLanguage } from './napi.js';
import { napiConfig, type MatcherSpec } from './matcher.js';
import { coverTokens, mergeFix, minimalEdit, type Copied, type Edit, type Span } from './merge.js';
import { isContextFree, matchKinds } from './shape.js';
import { fillTemplate, parseTemplate, type Segment } from './template.js';
import { firstBroken, firstError, leavesOf, spanOf } from './tree.js';

/**
 * Rewriting one file's text with a codemod until nothing more changes. Matches can nest or
 * overlap (`X(X(a))`); each pass applies every edit that does not overlap an earlier one, then
 * looks again, so an inner match is never silently skipped. A fix whose output the pattern
 * matches again would go on forever: after MAX_PASSES that is an error, not a guess.
 *
 * Looking again need not mean parsing the whole file again (parsing is the expensive part). When
 * every edit of a pass was applied and the matcher is context-free, a new match can only be the
 * rewritten code itself or an ancestor of a kind the matcher can match; so only the outermost
 * such region around each edit is parsed and matched again. If that region does not parse on its
 * own, or anything there still wants a change, the whole file is parsed as usual.
 */
export const MAX_PASSES = 16;

export interface CodemodSpec { matcher: MatcherSpec; fix: string }

/** A file the codemod cannot finish; `line` is where. */
export class CodemodFileError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

export class FixLoopError extends CodemodFileError {
  constructor(line: number, passes: number) {
    super(line, `the fix keeps matching its own pattern: still rewriting line ${line} after ${passes} passes (or matches nest more than ${passes} deep there) — make the fix produce code the pattern does not match (a constraint or a 'not:' rule helps)`);
  }
}

export class FixSyntaxError extends CodemodFileError {
  constructor(line: number, language: string) {
    super(line, `the fix produces code that does not parse as ${language} (line ${line}) — check the fix template`);
  }
}

export interface Rewritten {
  text: string;
  /** Passes that changed the text (0: nothing to do). */
  passes: number;
  /** A file with syntax errors is left alone: where its first error is (1-based). */
  unparsedLine?: number;
}

interface Found { edit: Edit; node: SgNode }

export class Codemod {
  private readonly language: string;
  private readonly config: NapiConfig;
  private readonly segments: Segment[];
  private readonly kinds: Set<string> | undefined;
  /** The matcher or an ERROR node, in one walk of the tree (see search). */
  private readonly withErrors: NapiConfig | undefined;
  /**
   * Answers that depend on a piece of text alone, asked again for every call site written the
   * same way (thousands in a large repository): the tokens of a fix's output, and whether a
   * rewritten region is settled. Each saves a parse.
   */
  private readonly fixedTokens = new Memo<string, Span[]>();
  private readonly settledRegions = new Memo<string, boolean>();

  constructor(spec: CodemodSpec) {
    this.language = napiLanguage(spec.matcher.language);
    this.config = napiConfig(spec.matcher);
    const plain = this.config as unknown as { rule: unknown; constraints?: unknown; utils?: unknown };
    this.withErrors = plain.constraints || plain.utils ? undefined : ({ ...plain, rule: { any: [plain.rule, { kind: 'ERROR' }] } } as unknown as NapiConfig);
    this.segments = parseTemplate(spec.fix);
    this.kinds = isContextFree(spec.matcher) ? matchKinds(spec.matcher) : undefined;
  }

  /**
   * The rewritten text. A file that does not parse is left alone: where the parser had to guess,
   * a "call" may be text in an unterminated string. A fix that makes a parsing file stop parsing
   * is an error.
   */
  rewrite(text: string, parsed?: SgNode): Rewritten {
    let current = text;
    for (let pass = 0; ; pass++) {
      // The first pass may come parsed already (off the main thread, see scan.ts).
      const root = pass === 0 && parsed ? parsed : loadNapi().parse(this.language, current).root();
      const { error, nodes } = this.search(root);
      if (error && pass === 0) return { text, passes: 0, unparsedLine: error.range().start.line + 1 };
      if (error) throw new FixSyntaxError(error.range().start.line + 1, this.language);
      const found = this.find(nodes, current);
      if (found.length === 0) return { text: current, passes: pass };
      if (pass === MAX_PASSES) throw new FixLoopError(lineOf(current, found[0].edit.start), pass);
      const chosen = disjoint(found.map((entry) => entry.edit));
      const next = applyEdits(current, chosen);
      if (chosen.length === found.length && this.settled(found, current)) return { text: next, passes: pass + 1 };
      current = next;
    }
  }

  /**
   * The first syntax error and the matches. Walking the tree once for both instead of twice saves
   * ~0.2 ms of a ~2 ms file (measured on 2,000 Python files: the same errors, the same matches).
   * Where a file has an error its matches are never used, so an ERROR node the matcher itself
   * would match cannot be mistaken. With constraints or utils, two walks, as ast-grep defines them.
   */
  private search(root: SgNode): { error: SgNode | undefined; nodes: SgNode[] } {
    if (!this.withErrors) return { error: firstError(root), nodes: root.findAll(this.config) };
    const nodes: SgNode[] = [];
    const errors: SgNode[] = [];
    for (const node of root.findAll(this.withErrors)) (node.kind() === 'ERROR' ? errors : nodes).push(node);
    // The first in the text, as firstError's pre-order walk finds it (only files with errors pay).
    const error = errors.length > 1 ? errors.reduce((a, b) => (spanOf(b).start < spanOf(a).start ? b : a)) : errors[0];
    return { error, nodes };
  }

  private find(nodes: readonly SgNode[], text: string): Found[] {
    const found: Found[] = [];
    const eol = lineEnding(text);
    for (const node of nodes) {
      const edit = this.editFor(node, text, eol);
      if (edit) found.push({ edit, node });
    }
    return found.sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end);
  }

  /** Whether applying `found` to `text` reaches the fixed point, judged from the changed regions. */
  private settled(found: readonly Found[], text: string): boolean {
    if (!this.kinds) return false;
    const regions = outermost(found.map(({ node }) => {
      let region = spanOf(node);
      for (const ancestor of node.ancestors()) if (this.kinds!.has(String(ancestor.kind()))) region = widest(region, spanOf(ancestor));
      return region;
    }));
    const eol = lineEnding(text);
    return regions.every((region) => {
      const inside = found.filter(({ edit }) => edit.start >= region.start && edit.end <= region.end);
      const rewritten = applyEdits(text.slice(region.start, region.end), inside.map(({ edit }) => ({ ...edit, start: edit.start - region.start, end: edit.end - region.start })));
      return this.settledRegions.get(`${eol}\0${rewritten}`, () => {
        const root = loadNapi().parse(this.language, rewritten).root();
        if (firstBroken(root)) return false;
        return root.findAll(this.config).every((node) => this.editFor(node, rewritten, eol) === undefined);
      });
    });
  }

  private editFor(node: SgNode, text: string, eol: string): Edit | undefined {
    const { start, end } = spanOf(node);
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, start))?.[0] ?? '';
    const copied: Copied[] = [];
    const fixed = fillTemplate(this.segments, (name, { at, lineBreakNext }) => {
      const capture = captured(node, name, text, lineBreakNext);
      if (capture) copied.push({ from: capture.start - start, at, length: capture.text.length });
      return capture?.text;
    }, indent, eol);
    const original = text.slice(start, end);
    if (fixed === original) return undefined;
    const originalTokens = coverTokens(original, leavesOf(node, original));
    const fixedTokens = this.fixedTokens.get(fixed, () => coverTokens(fixed, leavesOf(loadNapi().parse(this.language, fixed).root(), fixed)));
    return minimalEdit(original, mergeFix(original, originalTokens, fixed, fixedTokens, copied), start);
  }
}

/** A bounded memo: forgets everything when full (call sites repeat; memory must not grow). */
class Memo<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity = 4096) {}

  get(key: K, compute: () => V): V {
    const known = this.entries.get(key);
    if (known !== undefined || this.entries.has(key)) return known as V;
    const value = compute();
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}

/**
 * The source text a metavariable captured and where it starts: one node, or from the first to
 * the last of many. A capture ending in a line comment (`ctx,  # why`) keeps the line break after
 * it, or whatever the template puts next (`)`) would become part of the comment — unless the
 * template starts a new line there itself (ast-grep writes no indentation-only line then).
 */
function captured(node: SgNode, name: string, text: string, lineBreakNext: boolean): { text: string; start: number } | undefined {
  const single = node.getMatch(name);
  const many = single ? [single] : node.getMultipleMatches(name);
  if (many.length === 0) return undefined;
  const last = many[many.length - 1];
  const start = many[0].range().start.index;
  let end = last.range().end.index;
  if (isLineComment(last) && !lineBreakNext) end += /^[ \t]*\r?\n[ \t]*/.exec(text.slice(end))?.[0].length ?? 0;
  return { text: text.slice(start, end), start };
}

function isLineComment(node: SgNode): boolean {
  return /comment/i.test(String(node.kind())) && !node.text().endsWith('*/');
}

/** A file written with CRLF gets CRLF in the lines a fix adds. */
function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function widest(a: Span, b: Span): Span {
  return b.end - b.start > a.end - a.start ? b : a;
}

/** Spans with those inside another dropped (spans of tree nodes nest or are disjoint). */
function outermost(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Span[] = [];
  for (const span of sorted) if (!kept.length || span.start >= kept[kept.length - 1].end) kept.push(span);
  return kept;
}

/**
 * The edits one pass may apply together: sorted by position, each kept only if it starts after
 * the previous kept one ends (two insertions at one point, or touching an insertion, wait too).
 */
export function disjoint(edits: readonly Edit[]): Edit[] {
  const kept: Edit[] = [];
  for (const edit of edits) {
    const last = kept[kept.length - 1];
    const touching = last && edit.start === last.end && (edit.start === edit.end || last.start === last.end);
    if (!last || edit.start > last.end || (edit.start === last.end && !touching)) kept.push(edit);
  }
  return kept;
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = '';
  let position = 0;
  for (const edit of edits) {
    out += text.slice(position, edit.start) + edit.text;
    position = edit.end;
  }
  return out + text.slice(position);
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}
