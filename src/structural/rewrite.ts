import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { loadNapi, napiLanguage } from './napi.js';
import { napiConfig, type MatcherSpec } from './matcher.js';
import { coverTokens, mergeFix, minimalEdit, type Edit, type Span } from './merge.js';
import { fillTemplate, parseTemplate, type Segment } from './template.js';

/**
 * Rewriting one file's text with a codemod until nothing more changes. Matches can nest or
 * overlap (`X(X(a))`); each pass applies every edit that does not overlap an earlier one, then
 * the text is parsed again, so an inner match is never silently skipped. A fix whose output the
 * pattern matches again would go on forever: after MAX_PASSES that is an error, not a guess.
 */
export const MAX_PASSES = 10;

export interface CodemodSpec { matcher: MatcherSpec; fix: string }

export class FixLoopError extends Error {
  constructor(readonly line: number, readonly passes: number) {
    super(`the fix keeps matching its own pattern: still rewriting line ${line} after ${passes} passes — make the fix produce code the pattern does not match (a constraint or a 'not:' rule helps)`);
  }
}

export class Codemod {
  private readonly language: string;
  private readonly config: NapiConfig;
  private readonly segments: Segment[];

  constructor(spec: CodemodSpec) {
    this.language = napiLanguage(spec.matcher.language);
    this.config = napiConfig(spec.matcher);
    this.segments = parseTemplate(spec.fix);
  }

  /** The rewritten text and how many passes changed it (0: nothing to do). */
  rewrite(text: string): { text: string; passes: number } {
    let current = text;
    for (let pass = 0; ; pass++) {
      const edits = this.editsFor(current);
      if (edits.length === 0) return { text: current, passes: pass };
      if (pass === MAX_PASSES) throw new FixLoopError(lineOf(current, edits[0].start), pass);
      current = applyEdits(current, disjoint(edits));
    }
  }

  private editsFor(text: string): Edit[] {
    const napi = loadNapi();
    const root = napi.parse(this.language, text).root();
    const edits: Edit[] = [];
    for (const node of root.findAll(this.config)) {
      const edit = this.editFor(node, text);
      if (edit) edits.push(edit);
    }
    return edits.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  private editFor(node: SgNode, text: string): Edit | undefined {
    const { start, end } = spanOf(node);
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, start))?.[0] ?? '';
    const fixed = fillTemplate(this.segments, (name) => captured(node, name, text), indent);
    const original = text.slice(start, end);
    const originalTokens = coverTokens(original, leavesOf(node, start));
    const fixedRoot = loadNapi().parse(this.language, fixed).root();
    const fixedTokens = coverTokens(fixed, leavesOf(fixedRoot, 0));
    return minimalEdit(original, mergeFix(original, originalTokens, fixed, fixedTokens), start);
  }
}

/** The source text a metavariable captured: one node, or from the first to the last of many. */
function captured(node: SgNode, name: string, text: string): string | undefined {
  const single = node.getMatch(name);
  if (single) return text.slice(single.range().start.index, single.range().end.index);
  const many = node.getMultipleMatches(name);
  if (many.length === 0) return undefined;
  return text.slice(many[0].range().start.index, many[many.length - 1].range().end.index);
}

function spanOf(node: SgNode): Span {
  const range = node.range();
  return { start: range.start.index, end: range.end.index };
}

/** Leaf spans of a subtree, relative to `offset` (napi indices are UTF-16, like JS strings). */
function leavesOf(node: SgNode, offset: number, out: Span[] = []): Span[] {
  const children = node.children();
  if (children.length === 0) {
    const { start, end } = spanOf(node);
    out.push({ start: start - offset, end: end - offset });
  } else for (const child of children) leavesOf(child, offset, out);
  return out;
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
