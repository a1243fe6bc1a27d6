/**
 * The one way phasegate turns a plan's regex into a RegExp: multiline, global; `literal: true`
 * escapes it. Shared by the main thread (the prefilter) and the regex worker (the matching).
 */
export function compileRegex(source: string, literal: boolean | undefined): RegExp {
  return new RegExp(literal ? escapeRegExp(source) : source, 'gm');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How a regex is named in messages: `/source/`, shortened. */
export function describeRegex(source: string, max = 50): string {
  return `/${source.length > max ? `${source.slice(0, max - 1)}…` : source}/`;
}
