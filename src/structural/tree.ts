import type { SgNode } from '@ast-grep/napi';
import type { Span } from './merge.js';

/** Small helpers over napi nodes. Indices are UTF-16 offsets, like JavaScript strings. */
export function spanOf(node: SgNode): Span {
  const range = node.range();
  return { start: range.start.index, end: range.end.index };
}

/** Leaf spans of a subtree, relative to `offset`. */
export function leavesOf(node: SgNode, offset: number, out: Span[] = []): Span[] {
  const children = node.children();
  if (children.length === 0) {
    const { start, end } = spanOf(node);
    out.push({ start: start - offset, end: end - offset });
  } else for (const child of children) leavesOf(child, offset, out);
  return out;
}

/** An ERROR node, or a zero-width leaf (what tree-sitter inserts for a missing token). */
export function firstBroken(node: SgNode): SgNode | undefined {
  if (node.kind() === 'ERROR') return node;
  const children = node.children();
  if (children.length === 0) {
    const { start, end } = spanOf(node);
    return start === end && node.text() === '' ? node : undefined;
  }
  for (const child of children) {
    const found = firstBroken(child);
    if (found) return found;
  }
  return undefined;
}
