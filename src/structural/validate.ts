import { expandoOf, loadNapi, napiLanguage } from './napi.js';
import { capturedNames, napiConfig, patternsOf, type MatcherSpec } from './matcher.js';
import { STRICTNESS } from '../plan/languages.js';
import { templateVariables } from './template.js';
import { firstBroken } from './tree.js';

/**
 * What is wrong with a matcher before anything runs: a pattern that does not parse in its
 * language (napi would silently match nothing), a rule ast-grep refuses (unknown kind, bad
 * regex, undefined util), a fix that uses a metavariable nothing captures. Paths are relative
 * to the matcher (`['pattern']`, `['rule', 'has', 'pattern']`…).
 */
export interface MatcherProblem { path: (string | number)[]; message: string }

export function matcherProblems(spec: MatcherSpec, fix?: string): MatcherProblem[] {
  const problems: MatcherProblem[] = [];
  for (const { path, source } of patternsOf(spec)) {
    const message = patternProblem(source, spec.language);
    if (message) problems.push({ path, message });
  }
  problems.push(...strictnessProblems(spec));
  if (problems.length === 0) {
    try {
      const napi = loadNapi();
      napi.parse(napiLanguage(spec.language), '').root().findAll(napiConfig(spec));
    } catch (error) {
      problems.push(ruleProblem(error, spec));
    }
  }
  if (fix !== undefined) {
    const known = capturedNames(spec);
    const unknown = templateVariables(fix).filter((name) => !known.has(name) && name !== '_');
    if (unknown.length > 0) {
      const captures = known.size > 0 ? `it captures ${[...known].map((name) => `$${name}`).join(', ')}` : 'it captures none';
      problems.push({ path: ['fix'], message: `uses ${unknown.map((name) => `$${name}`).join(', ')}, which the pattern does not capture (${captures})` });
    }
  }
  return problems;
}

function patternProblem(pattern: string, spelled: string): string | undefined {
  const expando = expandoOf(spelled);
  const source = expando === '$' ? pattern : pattern.replaceAll('$', expando);
  const language = napiLanguage(spelled);
  const root = loadNapi().parse(language, source).root();
  const bad = firstBroken(root);
  if (!bad) return undefined;
  const shown = (text: string) => (text.length > 40 ? `${text.slice(0, 39)}…` : text).replaceAll(expando, '$');
  const { line, column } = bad.range().start;
  const where = `at ${line + 1}:${column + 1} of the pattern`;
  const hint = ' (a fragment of code needs a rule with pattern: {context, selector})';
  return bad.kind() === 'ERROR'
    ? `pattern does not parse as ${language}: unexpected \`${shown(bad.text())}\` ${where}${hint}`
    : `pattern is incomplete as ${language}: missing \`${bad.kind()}\` ${where}${hint}`;
}

/** napi's multi-line message ("`rule` is not configured correctly.\n |->…") as one line. */
function ruleProblem(error: unknown, spec: MatcherSpec): MatcherProblem {
  const text = error instanceof Error ? error.message : String(error);
  const parts = text.split('\n').map((part) => part.replace(/^\s*\|->\s*/, '').replace(/[.:]$/, '').trim()).filter(Boolean);
  const section = /^`(rule|constraints|utils)` is not configured correctly/.exec(parts[0] ?? '')?.[1];
  // The key path already says which part; what follows says what is wrong with it.
  if (section && parts.length > 1) parts.shift();
  const path = spec.pattern !== undefined ? ['pattern'] : [section ?? 'rule'];
  const expando = expandoOf(spec.language);
  return { path, message: `ast-grep rejects it: ${parts.join(': ').replaceAll(expando, '$')}` };
}

/**
 * A pattern's own `strictness` (`pattern: {context, strictness}` inside a rule): ast-grep's answer
 * to a wrong value names neither the key nor the values it takes ("untagged enum PatternStyle").
 */
function strictnessProblems(spec: MatcherSpec): MatcherProblem[] {
  const problems: MatcherProblem[] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        const strictness = key === 'pattern' && inner && typeof inner === 'object' ? (inner as { strictness?: unknown }).strictness : undefined;
        if (strictness !== undefined && !(STRICTNESS as readonly unknown[]).includes(strictness)) {
          problems.push({ path: [...path, key, 'strictness'], message: `must be one of ${STRICTNESS.map((name) => `"${name}"`).join(', ')}, got ${JSON.stringify(strictness)}` });
        } else walk(inner, [...path, key]);
      }
    }
  };
  walk({ rule: spec.rule, constraints: spec.constraints, utils: spec.utils }, []);
  return problems;
}
