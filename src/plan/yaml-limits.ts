import { Lexer } from 'yaml';

/**
 * A plan is a small configuration file, but it comes from anywhere (a pull request, a template),
 * and YAML can be made to exhaust a parser. The `yaml` package composes nested collections by
 * recursion: 10,000 levels of `[` take ~2 s and end in a page-long error, 3,000 levels of block
 * mappings overflow the stack in its parser. No plan needs more than a few dozen levels (an
 * ast-grep rule is the deepest thing in one), so deeper input is refused before it is parsed.
 * (Alias bombs are the other trick; `toJS`'s `maxAliasCount` stops those, see load.ts.)
 */
export const MAX_NESTING = 100;
const CHEAP_BOUND_UP_TO = 256 * 1024;

/** Where nesting first goes deeper than MAX_NESTING (a 1-based line and column), or undefined. */
export function tooDeepAt(source: string): { line: number; col: number } | undefined {
  // Cheap bound first for a plan of usual size: nesting needs a `[`/`{` or a deeper indentation
  // per level. A huge file goes straight to the lexer, which stops at the first level too deep.
  if (source.length < CHEAP_BOUND_UP_TO && countOpeners(source) + deepestIndent(source) + 2 <= MAX_NESTING) return undefined;
  const offset = deepOffset(source);
  if (offset === undefined) return undefined;
  const before = source.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, col: offset - lineStart + 1 };
}

function countOpeners(source: string): number {
  let count = 0;
  for (let index = 0; index < source.length; index++) {
    const code = source.charCodeAt(index);
    if (code === 0x5b || code === 0x7b) count++;
  }
  return count;
}

/** The longest run of spaces and `-`/`?` indicators that starts a line. */
function deepestIndent(source: string): number {
  let deepest = 0;
  for (const match of source.matchAll(/^[ \t?-]+/gm)) deepest = Math.max(deepest, match[0].length);
  return deepest;
}

/**
 * Depth measured on the lexer's tokens (which know quotes, comments and block scalars): flow
 * collections by their brackets, block collections by a stack of the columns their lines start at.
 */
function deepOffset(source: string): number | undefined {
  const MARKERS = new Set(['\x02', '\x18', '\x1f']);
  const columns: number[] = [];
  let offset = 0;
  let column = 0;
  let flow = 0;
  let lineStart = true;
  let blockScalar = false;
  for (const token of new Lexer().lex(source)) {
    if (MARKERS.has(token)) continue;
    const start = offset;
    offset += token.length;
    const newline = token.lastIndexOf('\n');
    const startColumn = column;
    column = newline >= 0 ? token.length - newline - 1 : column + token.length;
    if (token === '\n' || token === '\r\n') {
      lineStart = true;
      continue;
    }
    if (/^[ \t]+$/.test(token) || token.startsWith('#')) continue;
    if (blockScalar) {
      // The block scalar's text: any indentation inside it is content, not nesting.
      blockScalar = false;
      lineStart = false;
      continue;
    }
    if (token === '[' || token === '{') flow++;
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    if (flow === 0 && (lineStart || token === '-' || token === '?')) {
      while (columns.length > 0 && columns[columns.length - 1] >= startColumn) columns.pop();
      columns.push(startColumn);
    }
    if (token.startsWith('|') || token.startsWith('>')) blockScalar = true;
    lineStart = false;
    if (columns.length + flow > MAX_NESTING) return start;
  }
  return undefined;
}
