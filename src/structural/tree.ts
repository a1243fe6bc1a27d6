import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { Span } from './merge.js';

/**
 * Small helpers over napi nodes. Indices are UTF-16 offsets, like JavaScript strings. Every napi
 * call crosses into native code, and `range()` is the dearest (~6 µs: it computes columns), so
 * the hot paths here avoid it.
 */
export function spanOf(node: SgNode): Span {
  const range = node.range();
  return { start: range.start.index, end: range.end.index };
}

/**
 * Leaf spans of a subtree whose text is `text`, relative to it. Leaves come in source order with
 * only whitespace (or text no leaf holds) between them, so each is found by searching forward
 * for its text — ~5× cheaper than asking each leaf for its range.
 */
export function leavesOf(node: SgNode, text: string): Span[] {
  const out: Span[] = [];
  let position = 0;
  const visit = (current: SgNode): boolean => {
    const children = current.children();
    if (children.length === 0) {
      const leaf = current.text();
      if (leaf === '') return true;
      const start = text.indexOf(leaf, position);
      if (start < 0) return false;
      out.push({ start, end: start + leaf.length });
      position = start + leaf.length;
      return true;
    }
    return children.every(visit);
  };
  if (visit(node)) return out;
  // Not expected; if it ever happens the exact (slower) way still gives the right answer.
  const base = spanOf(node).start;
  const exact: Span[] = [];
  const collect = (current: SgNode): void => {
    const children = current.children();
    if (children.length > 0) return children.forEach(collect);
    const { start, end } = spanOf(current);
    exact.push({ start: start - base, end: end - base });
  };
  collect(node);
  return exact;
}

/**
 * Where a parse went wrong. For a whole file only ERROR nodes are looked for (one cheap query).
 * For a pattern or a rewritten region, also zero-width tokens — what tree-sitter inserts for a
 * missing one — except a missing `;` (an expression written alone in Java, Rust or C has no
 * terminator, and ast-grep matches it by the expression inside). Zero-width named nodes are
 * legitimate (the text of an empty `<script>`).
 */
const ERROR = { rule: { kind: 'ERROR' } } as unknown as NapiConfig;
const SUSPECT = { rule: { any: [{ kind: 'ERROR' }, { regex: '^$' }] } } as unknown as NapiConfig;

export function firstError(root: SgNode): SgNode | undefined {
  return root.find(ERROR) ?? undefined;
}

export function firstBroken(node: SgNode): SgNode | undefined {
  return node.findAll(SUSPECT).find((found) => found.kind() === 'ERROR' || (!found.isNamed() && found.kind() !== ';'));
}
