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

/**
 * The template with each reference replaced by `lookup(name)` (a name the match did not capture
 * becomes empty, as in ast-grep). New lines written in the template get `indent`, the
 * indentation of the line the match starts on, so a multi-line fix lines up with its context,
 * and the file's own line ending (`eol`).
 */
export function fillTemplate(segments: readonly Segment[], lookup: (name: string) => string | undefined, indent = '', eol = '\n'): string {
  let out = '';
  for (const segment of segments) {
    if ('variable' in segment) out += lookup(segment.variable) ?? '';
    else out += segment.text.replace(/\r?\n(?=([^\r\n])?)/g, (_, next: string | undefined) => (next === undefined ? eol : `${eol}${indent}`));
  }
  return out;
}
