import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * Where in the YAML text a key path lives, so that every problem can be reported as
 * `file:line:col`. A missing key points at the mapping that should hold it; an unknown key
 * points at the key itself.
 */
export type KeyPath = readonly (string | number)[];

export function formatKeyPath(path: KeyPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? part : `.${part}`;
  }
  return text === '' ? '(plan)' : text;
}

interface Located { offset: number }

export function offsetOf(doc: Document, path: KeyPath, { atKey = false } = {}): Located {
  let node: unknown = doc.contents;
  let lastOffset = rangeStart(node) ?? 0;
  for (let index = 0; index < path.length; index++) {
    const part = path[index];
    const isLast = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(part));
      if (!pair) return { offset: lastOffset };
      if (isLast && atKey) return { offset: rangeStart(pair.key) ?? lastOffset };
      // A key with no value (`timeout:`) has no value node; its key is the place to point at.
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part];
      if (item === undefined) return { offset: lastOffset };
      node = item;
    } else {
      return { offset: lastOffset };
    }
    lastOffset = rangeStart(node) ?? lastOffset;
  }
  return { offset: lastOffset };
}

/** The key path of the innermost collection entry that contains `offset` (for YAML syntax errors). */
export function pathAtOffset(doc: Document, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && contains(item.key, item.value, offset));
      if (!pair) return path;
      path.push(keyText(pair.key));
      if (rangeStart(pair.value) === undefined || offset < (rangeStart(pair.value) ?? 0)) return path;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item, item, offset));
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else return path;
  }
}

export function lineCol(counter: LineCounter, offset: number): string {
  const { line, col } = counter.linePos(offset);
  return `${line}:${col}`;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | undefined)?.range?.[0];
}

function contains(first: unknown, last: unknown, offset: number): boolean {
  const start = rangeStart(first);
  const end = (last as Node | undefined)?.range?.[2] ?? (first as Node | undefined)?.range?.[2];
  return start !== undefined && end !== undefined && offset >= start && offset <= end;
}
