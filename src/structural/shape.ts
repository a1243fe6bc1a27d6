import type { SgNode } from '@ast-grep/napi';
import { expandoOf, loadNapi, napiLanguage } from './napi.js';
import type { MatcherSpec, RuleObject } from './matcher.js';

/**
 * Two facts about a matcher that let a rewrite skip re-parsing a whole file to prove it is done
 * (rewrite.ts): whether a node's match depends only on its own subtree ("context-free": no
 * `inside`, `precedes`, `follows`, `nthChild`, `range`), and which node kinds it can match at all.
 * Both err on the safe side: unknown means "re-parse".
 */
const LOCAL_KEYS = new Set(['pattern', 'kind', 'regex', 'all', 'any', 'not', 'has', 'matches', 'stopBy', 'field']);

export function isContextFree(spec: MatcherSpec): boolean {
  if (spec.pattern !== undefined) return true;
  const seen = new Set<string>();
  const local = (rule: unknown): boolean => {
    if (typeof rule === 'string') return true; // stopBy: end / neighbor
    if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return false;
    return Object.entries(rule as RuleObject).every(([key, value]) => {
      if (!LOCAL_KEYS.has(key)) return false;
      if (key === 'all' || key === 'any') return Array.isArray(value) && value.every(local);
      if (key === 'not' || key === 'has' || key === 'stopBy') return local(value);
      if (key === 'matches') {
        if (typeof value !== 'string') return false;
        if (seen.has(value)) return true;
        seen.add(value);
        return local(spec.utils?.[value]);
      }
      return true;
    });
  };
  return local(spec.rule) && Object.values(spec.constraints ?? {}).every(local);
}

/** Kinds a match can have, or undefined when any kind could match (e.g. a lone `$A`). */
export function matchKinds(spec: MatcherSpec): Set<string> | undefined {
  if (spec.pattern !== undefined) return patternKinds(spec.pattern, spec.language);
  const seen = new Set<string>();
  const kinds = (rule: unknown): Set<string> | undefined => {
    if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return undefined;
    const entries = rule as RuleObject;
    if (typeof entries.kind === 'string') return new Set([entries.kind]);
    if (typeof entries.pattern === 'string') return patternKinds(entries.pattern, spec.language);
    const pattern = entries.pattern as RuleObject | undefined;
    if (pattern && typeof pattern.selector === 'string') return new Set([pattern.selector]);
    if (pattern && typeof pattern.context === 'string') return patternKinds(pattern.context, spec.language);
    if (Array.isArray(entries.all)) for (const inner of entries.all) { const found = kinds(inner); if (found) return found; }
    if (Array.isArray(entries.any)) {
      const all = entries.any.map(kinds);
      if (all.every(Boolean)) return new Set(all.flatMap((set) => [...set!]));
    }
    if (typeof entries.matches === 'string' && !seen.has(entries.matches)) {
      seen.add(entries.matches);
      return kinds(spec.utils?.[entries.matches]);
    }
    return undefined;
  };
  return kinds(spec.rule);
}

/** The kinds along the pattern's single-child chain below the root (module > statement > call…). */
function patternKinds(pattern: string, language: string): Set<string> | undefined {
  const expando = expandoOf(language);
  const source = expando === '$' ? pattern : pattern.replaceAll('$', expando);
  let node: SgNode = loadNapi().parse(napiLanguage(language), source).root();
  const chain = new Set<string>();
  for (;;) {
    const named = node.children().filter((child) => child.isNamed() && !/comment/i.test(String(child.kind())));
    if (named.length !== 1) break;
    node = named[0];
    chain.add(String(node.kind()));
  }
  if (chain.size === 0) return undefined;
  // A pattern that is a lone metavariable matches nodes of any kind.
  if (node.children().length === 0 && (node.text().includes(expando) || node.text().includes('$'))) return undefined;
  return chain;
}
