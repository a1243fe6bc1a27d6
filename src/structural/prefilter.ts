import type { SgNode } from '@ast-grep/napi';
import { requiredLiteral } from '../scope/literal.js';
import { expandoOf, loadNapi, napiLanguage } from './napi.js';
import type { MatcherSpec, RuleObject } from './matcher.js';

/**
 * Text every match must contain, so that files without it are never parsed (parsing is the
 * expensive part: ~1 ms per 3 KB). A pattern's named leaves — identifiers, literals — must appear
 * as they are in matching code at every strictness but `signature` (which ignores text); the
 * unnamed ones (keywords, punctuation) may be skipped by `ast`/`relaxed`, and comments by
 * `relaxed`, so they are not used. For a rule, only parts every match must satisfy count:
 * `pattern`, `regex`, `all`, `has`/`inside`/`precedes`/`follows`, `matches` — never `any` or `not`.
 */
const MAX_WORDS = 4;

export function requiredWords(spec: MatcherSpec): string[] {
  if (spec.strictness === 'signature') return [];
  const words = new Set<string>();
  if (spec.pattern !== undefined) patternWords(spec.pattern, spec.language).forEach((word) => words.add(word));
  else ruleWords(spec.rule, spec, new Set(), words);
  // Longest first: the first one is tested on the raw bytes before anything is decoded.
  return [...words].sort((a, b) => b.length - a.length).slice(0, MAX_WORDS);
}

function ruleWords(rule: unknown, spec: MatcherSpec, seenUtils: Set<string>, out: Set<string>): void {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return;
  const entries = rule as RuleObject;
  if (typeof entries.pattern === 'string') patternWords(entries.pattern, spec.language).forEach((word) => out.add(word));
  else if (entries.pattern && typeof entries.pattern === 'object') {
    const pattern = entries.pattern as RuleObject;
    // With a selector only a part of the context must match; the rest need not be in the file.
    if (pattern.selector === undefined && typeof pattern.context === 'string' && pattern.strictness !== 'signature') {
      patternWords(pattern.context, spec.language).forEach((word) => out.add(word));
    }
  }
  if (typeof entries.regex === 'string' && !entries.regex.includes('(?')) {
    const literal = requiredLiteral(entries.regex);
    if (literal) out.add(literal);
  }
  if (Array.isArray(entries.all)) for (const inner of entries.all) ruleWords(inner, spec, seenUtils, out);
  for (const key of ['has', 'inside', 'precedes', 'follows']) ruleWords(entries[key], spec, seenUtils, out);
  if (typeof entries.matches === 'string' && !seenUtils.has(entries.matches)) {
    seenUtils.add(entries.matches);
    ruleWords(spec.utils?.[entries.matches], spec, seenUtils, out);
  }
}

function patternWords(pattern: string, language: string): string[] {
  const expando = expandoOf(language);
  const source = expando === '$' ? pattern : pattern.replaceAll('$', expando);
  const root = loadNapi().parse(napiLanguage(language), source).root();
  const words: string[] = [];
  const visit = (node: SgNode) => {
    const children = node.children();
    if (children.length > 0) {
      for (const child of children) visit(child);
      return;
    }
    const text = node.text();
    if (!node.isNamed() || node.kind() === 'ERROR' || /comment/i.test(String(node.kind()))) return;
    if (text.includes('$') || text.includes(expando) || !/\w/.test(text)) return;
    words.push(text);
  };
  visit(root);
  return words;
}

/** True when `text` holds every required word (the first was already tested on the bytes). */
export function hasWords(text: string, words: readonly string[]): boolean {
  for (let index = 1; index < words.length; index++) if (!text.includes(words[index])) return false;
  return true;
}
