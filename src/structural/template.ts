/**
 * A `fix:` template: literal text and metavariable references (`$A`, `$$A`, `$$$ARGS`).
 * ast-grep's CLI fills it (structural/cli-rewrite.ts); phasegate only reads which metavariables
 * it uses, to refuse one the matcher never captures (validate.ts).
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
