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
 * An ERROR node, or a zero-width node (what tree-sitter inserts for a missing token) — except a
 * missing `;`: an expression written alone in Java, Rust or C has no statement terminator, and
 * ast-grep matches such a pattern by the expression inside.
 */
const SUSPECT = { rule: { any: [{ kind: 'ERROR' }, { regex: '^$' }] } } as unknown as NapiConfig;

export function firstBroken(node: SgNode): SgNode | undefined {
  return node.findAll(SUSPECT).find((found) => found.kind() === 'ERROR' || found.kind() !== ';');
}
