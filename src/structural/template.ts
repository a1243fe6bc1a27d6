/**
 * A `fix:` template: literal text and metavariable references (`$A`, `$$A`, `$$$ARGS`).
 * Filling happens in one pass over the template: captured text is inserted as it is and never
 * scanned again, so code that itself contains `$P` (a string, a jQuery call) cannot be expanded.
 * (napi's own `replace()` inserts its argument literally, so this is ours to do.)
 */
export type Segment = { text: string } | { variable: string };

const METAVARIABLE = /\${1,3}([A-Z_][A-Z0-9_]*)/g;

export function parseTemplate(template: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of template.matchAll(METAVARIABLE)) {
    if (match.index > last) segments.push({ text: template.slice(last, match.index) });
    segments.push({ variable: match[1] });
    last = match.index + match[0].length;
  }
  if (last < template.length) segments.push({ text: template.slice(last) });
  return segments;
}

export function templateVariables(template: string): string[] {
  return [...new Set(parseTemplate(template).flatMap((segment) => ('variable' in segment ? [segment.variable] : [])))];
}

/** Where a metavariable's value goes, for the caller to note. */
export interface Insertion {
  /** Offset in the filled text where the value starts. */
  at: number;
  /** The template's own text right after the reference starts a new line. */
  lineBreakNext: boolean;
}

/**
 * The template with each reference replaced by `lookup(name)` (a name the match did not capture
 * becomes empty, as in ast-grep). New lines written in the template get `indent`, the
 * indentation of the line the match starts on, so a multi-line fix lines up with its context,
 * and the file's own line ending (`eol`).
 */
export function fillTemplate(segments: readonly Segment[], lookup: (name: string, insertion: Insertion) => string | undefined, indent = '', eol = '\n'): string {
  let out = '';
  segments.forEach((segment, index) => {
    if ('variable' in segment) {
      const next = segments[index + 1];
      const lineBreakNext = next !== undefined && 'text' in next && /^[ \t]*\r?\n/.test(next.text);
      out += lookup(segment.variable, { at: out.length, lineBreakNext }) ?? '';
    } else out += segment.text.replace(/\r?\n(?=([^\r\n])?)/g, (_, following: string | undefined) => (following === undefined ? eol : `${eol}${indent}`));
  });
  return out;
}
