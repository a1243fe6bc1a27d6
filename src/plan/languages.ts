/**
 * Languages a `codemod` step or a structural check may name. The built-in ones ship inside
 * @ast-grep/napi; the others are loaded from an @ast-grep/lang-* package when first used.
 * Kept free of imports so that `phasegate check` stays fast.
 */
export const BUILTIN_LANGUAGES = ['javascript', 'typescript', 'tsx', 'html', 'css'] as const;
export const DYNAMIC_LANGUAGES = ['python', 'go', 'java', 'rust'] as const;
export const LANGUAGES: readonly string[] = [...BUILTIN_LANGUAGES, ...DYNAMIC_LANGUAGES];

/** Everyday spellings users reach for. */
export const LANGUAGE_ALIASES: Record<string, string> = {
  js: 'javascript', jsx: 'javascript', ts: 'typescript', py: 'python', golang: 'go', rs: 'rust',
};

/**
 * Files a structural step or check looks at when it has no `files` of its own: parsing a
 * README or a YAML file as Python would "find" calls in prose. A step's own `files` is taken as
 * the user's explicit choice and not narrowed.
 */
export const LANGUAGE_EXTENSIONS: Record<string, readonly string[]> = {
  javascript: ['.js', '.mjs', '.cjs', '.jsx'],
  typescript: ['.ts', '.mts', '.cts'],
  tsx: ['.tsx'],
  html: ['.html', '.htm'],
  css: ['.css'],
  python: ['.py', '.pyi'],
  go: ['.go'],
  java: ['.java'],
  rust: ['.rs'],
};

export function canonicalLanguage(name: string): string | undefined {
  const lower = name.toLowerCase();
  const resolved = LANGUAGE_ALIASES[lower] ?? lower;
  return LANGUAGES.includes(resolved) ? resolved : undefined;
}

export const STRICTNESS = ['cst', 'smart', 'ast', 'relaxed', 'signature'] as const;
