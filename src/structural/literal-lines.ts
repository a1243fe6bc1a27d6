import type { SgNode } from '@ast-grep/napi';
import { loadNapi, napiLanguage } from './napi.js';
import { firstBroken } from './tree.js';

/**
 * The CLI re-indents every line of a multi-line capture it writes into the fix, and that includes
 * the lines inside a string literal that spans lines (a Python `"""…"""`, a JS/TS template literal,
 * a Rust or Go raw string, a string continued with `\`): their leading whitespace is part of the
 * literal's value, so the rewrite would change what the program says. Here those lines are put
 * back as they are in the source — the only change made to the CLI's replacement: the lines around
 * the literal, and its first line up to the opening quote, stay the CLI's.
 *
 * Most replacements never get past the textual test below (one line, or no quote before a line
 * break); the few that do have only the matched text parsed, not the file.
 */
const LITERAL_KINDS = new Set(['string', 'template_string', 'string_literal', 'raw_string_literal', 'string_value']);

export function keepLiteralLines(replacement: string, replaced: string, language: string): string {
  if (!replacement.includes('\n') || !quoteBeforeBreak(replaced)) return replacement;
  let out = replacement;
  for (const literal of multiLineLiterals(replaced, language)) out = restore(out, literal);
  return out;
}

/** A quote of any kind with a line break somewhere after it: a literal can only span lines past one. */
function quoteBeforeBreak(text: string): boolean {
  const quote = /["'`]/.exec(text);
  return quote !== null && text.includes('\n', quote.index);
}

/** The outermost string literals of the matched text that span lines (an f-string's parts are inside its own). */
function multiLineLiterals(replaced: string, language: string): Set<string> {
  const found = new Set<string>();
  const visit = (node: SgNode) => {
    if (LITERAL_KINDS.has(String(node.kind())) && node.text().includes('\n')) {
      // A "literal" that tree-sitter only guessed at (an error inside it) is left as the CLI wrote it.
      if (!firstBroken(node)) found.add(node.text());
      return;
    }
    node.children().forEach(visit);
  };
  visit(loadNapi().parse(napiLanguage(language), replaced).root());
  return found;
}

/**
 * Every copy of `literal` in the replacement as the CLI writes it — its first line as it is, each
 * line after it with its leading blanks changed — replaced by the literal as written.
 */
function restore(replacement: string, literal: string): string {
  const lines = literal.split('\n');
  const rests = lines.map((line) => line.replace(/^[ \t]*/, ''));
  let out = replacement;
  for (let at = out.indexOf(lines[0]); at >= 0; ) {
    let end = at + lines[0].length;
    for (let index = 1; index < lines.length && end >= 0; index++) {
      if (out[end] !== '\n') {
        end = -1;
        break;
      }
      end++;
      while (out[end] === ' ' || out[end] === '\t') end++;
      end = out.startsWith(rests[index], end) ? end + rests[index].length : -1;
    }
    if (end < 0) {
      at = out.indexOf(lines[0], at + 1);
      continue;
    }
    out = out.slice(0, at) + literal + out.slice(end);
    at = out.indexOf(lines[0], at + literal.length);
  }
  return out;
}
