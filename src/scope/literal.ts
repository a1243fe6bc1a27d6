/**
 * The longest piece of literal text that every match of a regular expression must contain, used
 * to skip files without decoding them. Conservative on purpose: only top-level text counts
 * (anything inside a group may be optional or alternated), a top-level `|` gives up (one inside a
 * group only alternates within it: `a\.(?:b|c)\.d` still needs `.d`), and escapes it does not
 * know end the current run of literal text. Returns undefined when nothing of 3+ chars is sure.
 */
const SPECIAL = /[.*+?^${}()|[\]\\]/;
const ESCAPED_LITERAL = /[.*+?^${}()|[\]\\/\-]/;

export function requiredLiteral(source: string): string | undefined {
  let best = '';
  let current = '';
  let depth = 0;
  const flush = () => {
    if (current.length > best.length) best = current;
    current = '';
  };
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === '[') {
      flush();
      index = endOfClass(source, index);
      continue;
    }
    const braces = char === '{' ? /^\{\d*(,\d*)?\}/.exec(source.slice(index)) : null;
    if (braces) {
      flush();
      index += braces[0].length - 1;
      continue;
    }
    if (char === '|' && depth === 0) return undefined;
    if (char === '(' || char === ')') {
      flush();
      depth += char === '(' ? 1 : -1;
      continue;
    }
    const escaped = char === '\\';
    const literal = escaped ? (ESCAPED_LITERAL.test(source[index + 1] ?? '') ? source[index + 1] : undefined) : SPECIAL.test(char) ? undefined : char;
    const next = index + (escaped ? 2 : 1);
    const quantifier = source[next];
    const optional = quantifier === '?' || quantifier === '*' || (quantifier === '{' && /^\{0[,}]/.test(source.slice(next)));
    if (literal === undefined || optional || depth > 0) flush();
    else current += literal;
    index = next - 1;
  }
  flush();
  return best.length >= 3 ? best : undefined;
}

/** Index of the `]` closing the class that starts at `start` (a leading `]` is literal). */
function endOfClass(source: string, start: number): number {
  for (let index = start + 1; index < source.length; index++) {
    if (source[index] === '\\') index++;
    else if (source[index] === ']' && index > start + 1 && !(index === start + 2 && source[start + 1] === '^')) return index;
  }
  return source.length;
}
