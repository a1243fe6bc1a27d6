/**
 * Keeping the user's formatting when a fix is applied. A fix template rebuilt from metavariables
 * has lost the spacing, line breaks and comments between captured nodes; writing it over the
 * whole match would reformat code nobody asked to change. Instead both texts are seen as token
 * sequences (from the syntax tree), tokens common to both keep the original whitespace between
 * them, and only what really differs is written — the smallest edit that makes the code say
 * what the fix says.
 */
export interface Span { start: number; end: number }
export interface Edit { start: number; end: number; text: string }

/** Captured text copied into the fix: `length` characters from `from` in the original to `at`. */
export interface Copied { from: number; at: number; length: number }

/**
 * Tokens covering every non-whitespace character of `text`: the given leaves (zero-width ones
 * dropped), plus any non-whitespace the leaves missed (a line continuation, an error token).
 */
export function coverTokens(text: string, leaves: readonly Span[]): Span[] {
  const sorted = leaves.filter((leaf) => leaf.end > leaf.start).sort((a, b) => a.start - b.start);
  const tokens: Span[] = [];
  let position = 0;
  const fillGap = (end: number) => {
    const gap = /\S+/g;
    gap.lastIndex = position;
    for (let match = gap.exec(text); match && match.index < end; match = gap.exec(text)) {
      tokens.push({ start: match.index, end: Math.min(end, match.index + match[0].length) });
    }
  };
  for (const leaf of sorted) {
    if (leaf.start < position) continue;
    fillGap(leaf.start);
    tokens.push(leaf);
    position = leaf.end;
  }
  fillGap(text.length);
  return tokens;
}

/**
 * The fixed text, spelled with the original's whitespace wherever two neighbouring tokens of the
 * fix are also neighbours in the original; elsewhere the fix's own whitespace is used.
 *
 * A token the fix copied from a capture is aligned only with the token it was copied from, and
 * the template's own tokens only with tokens no capture copied: aligned by text alone, the
 * template's `)` after a capture ending in `)` would take that `)`'s place and its line break
 * (`g(\n    (2, 3)\n)\n)` instead of ast-grep's `g(\n    (2, 3)\n))`).
 */
export function mergeFix(original: string, originalTokens: Span[], fixed: string, fixedTokens: Span[], copied: readonly Copied[] = []): string {
  const textOf = (source: string, token: Span) => source.slice(token.start, token.end);
  const originOf = (token: Span, within: (copy: Copied) => number) => {
    for (const copy of copied) {
      const offset = token.start - within(copy);
      if (offset >= 0 && offset < copy.length) return copy.from + offset;
    }
    return undefined;
  };
  // A copied token's key is its place in the original; NUL never occurs in a token's text.
  const keyOf = (source: string, token: Span, origin: number | undefined) => (origin === undefined ? textOf(source, token) : `\0${origin}`);
  const pairs = alignTokens(
    originalTokens.map((token) => keyOf(original, token, originOf(token, (copy) => copy.from))),
    fixedTokens.map((token) => keyOf(fixed, token, originOf(token, (copy) => copy.at))),
  );
  let out = '';
  for (let index = 0; index < fixedTokens.length; index++) {
    if (index > 0) {
      const previous = pairs[index - 1];
      const current = pairs[index];
      const keepOriginal = previous !== undefined && current !== undefined && current === previous + 1;
      out += keepOriginal
        ? original.slice(originalTokens[previous].end, originalTokens[current].start)
        : fixed.slice(fixedTokens[index - 1].end, fixedTokens[index].start);
    }
    out += textOf(fixed, fixedTokens[index]);
  }
  return out;
}

/** The one edit turning `before` into `after`, as small as common prefix and suffix allow. */
export function minimalEdit(before: string, after: string, offset = 0): Edit | undefined {
  if (before === after) return undefined;
  let prefix = 0;
  const limit = Math.min(before.length, after.length);
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start: offset + prefix, end: offset + before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

/** Largest table the exact alignment may build; past it the differing middle is taken whole. */
const MAX_TABLE = 1_000_000;

/**
 * For each token of `fixed`, the index of the original token it is aligned with (a longest common
 * subsequence of the token texts), or undefined for a token the fix introduces.
 */
export function alignTokens(original: readonly string[], fixed: readonly string[]): (number | undefined)[] {
  const pairs: (number | undefined)[] = new Array(fixed.length).fill(undefined);
  let head = 0;
  while (head < original.length && head < fixed.length && original[head] === fixed[head]) pairs[head] = head++;
  let tail = 0;
  while (tail < original.length - head && tail < fixed.length - head && original[original.length - 1 - tail] === fixed[fixed.length - 1 - tail]) {
    pairs[fixed.length - 1 - tail] = original.length - 1 - tail;
    tail++;
  }
  const rows = original.length - head - tail;
  const columns = fixed.length - head - tail;
  if (rows === 0 || columns === 0 || (rows + 1) * (columns + 1) > MAX_TABLE) return pairs;
  // Classic LCS table over the differing middle, then walked back from the end.
  const width = columns + 1;
  const table = new Uint32Array((rows + 1) * width);
  for (let row = rows - 1; row >= 0; row--) {
    for (let column = columns - 1; column >= 0; column--) {
      table[row * width + column] = original[head + row] === fixed[head + column]
        ? table[(row + 1) * width + column + 1] + 1
        : Math.max(table[(row + 1) * width + column], table[row * width + column + 1]);
    }
  }
  for (let row = 0, column = 0; row < rows && column < columns;) {
    if (original[head + row] === fixed[head + column]) {
      pairs[head + column] = head + row;
      row++;
      column++;
    } else if (table[(row + 1) * width + column] >= table[row * width + column + 1]) row++;
    else column++;
  }
  return pairs;
}
