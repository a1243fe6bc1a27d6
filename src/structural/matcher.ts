import type { NapiConfig } from '@ast-grep/napi';
import type { CodemodStep, Structural } from '../plan/schema.js';
import type { STRICTNESS } from '../plan/languages.js';

/**
 * What to look for, in a form that can cross to a worker thread: an ast-grep pattern or a full
 * rule, its language and strictness. Built from a `codemod` step or a structural check.
 */
export type Strictness = (typeof STRICTNESS)[number];
export type RuleObject = Record<string, unknown>;

export interface MatcherSpec {
  language: string;
  pattern?: string;
  rule?: RuleObject;
  constraints?: RuleObject;
  utils?: RuleObject;
  strictness?: Strictness;
}

export function specOfStep(step: CodemodStep): MatcherSpec {
  const base = { language: step.language, strictness: step.strictness };
  return typeof step.codemod === 'string' ? { ...base, pattern: step.codemod } : { ...base, ...step.codemod };
}

export function specOfCheck(matcher: Structural): MatcherSpec {
  return { ...matcher };
}

/**
 * The napi config. A step-level `strictness` applies to every pattern in the rule (ast-grep
 * only takes it per pattern, as `pattern: {context, strictness}`); a pattern that sets its own
 * strictness keeps it.
 */
export function napiConfig(spec: MatcherSpec): NapiConfig {
  const rule: RuleObject = spec.pattern !== undefined ? { pattern: spec.pattern } : spec.rule ?? {};
  const withStrictness = <T>(value: T): T => (spec.strictness ? injectStrictness(value, spec.strictness) : value);
  const config: RuleObject = { rule: withStrictness(rule) };
  if (spec.constraints) config.constraints = withStrictness(spec.constraints);
  if (spec.utils) config.utils = withStrictness(spec.utils);
  return config as unknown as NapiConfig;
}

function injectStrictness<T>(value: T, strictness: Strictness): T {
  if (Array.isArray(value)) return value.map((item) => injectStrictness(item, strictness)) as T;
  if (!value || typeof value !== 'object') return value;
  const out: RuleObject = {};
  for (const [key, inner] of Object.entries(value as RuleObject)) {
    if (key === 'pattern' && typeof inner === 'string') out[key] = { context: inner, strictness };
    else if (key === 'pattern' && inner && typeof inner === 'object' && !('strictness' in inner)) out[key] = { ...inner, strictness };
    else out[key] = injectStrictness(inner, strictness);
  }
  return out as T;
}

/** Every pattern text in a spec, with the key path (inside the spec) where it is written. */
export function patternsOf(spec: MatcherSpec): { path: (string | number)[]; source: string }[] {
  if (spec.pattern !== undefined) return [{ path: ['pattern'], source: spec.pattern }];
  const found: { path: (string | number)[]; source: string }[] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'pattern' && typeof inner === 'string') found.push({ path: [...path, key], source: inner });
        else if (key === 'pattern' && inner && typeof inner === 'object' && typeof (inner as RuleObject).context === 'string') {
          found.push({ path: [...path, key, 'context'], source: (inner as RuleObject).context as string });
        } else walk(inner, [...path, key]);
      }
    }
  };
  walk({ rule: spec.rule, constraints: spec.constraints, utils: spec.utils }, []);
  return found;
}

/** Metavariable names a spec can capture: `$A`, `$$$ARGS` in any of its patterns, and constraint keys. */
export function capturedNames(spec: MatcherSpec): Set<string> {
  const names = new Set<string>(Object.keys(spec.constraints ?? {}));
  const strings: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk([spec.pattern, spec.rule, spec.utils]);
  for (const text of strings) for (const match of text.matchAll(/\$(?:\$\$)?([A-Z_][A-Z0-9_]*)/g)) names.add(match[1]);
  return names;
}
