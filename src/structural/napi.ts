import { createRequire } from 'node:module';
import type { DynamicLangRegistrations } from '@ast-grep/napi';
import { BUILTIN_LANGUAGES, canonicalLanguage, type DYNAMIC_LANGUAGES } from '../plan/languages.js';

/**
 * The one place that loads @ast-grep/napi. It is loaded on first use only (plans without
 * structural parts never pay for it), and the dynamic languages are registered once per thread:
 * napi keeps its language registry per JavaScript environment, so each worker registers too.
 */
export type Napi = typeof import('@ast-grep/napi');

/** Dynamic languages and the @ast-grep/lang-* package that ships each one's prebuilt parser. */
const DYNAMIC_PACKAGES: Record<(typeof DYNAMIC_LANGUAGES)[number], string> = {
  python: '@ast-grep/lang-python',
  go: '@ast-grep/lang-go',
  java: '@ast-grep/lang-java',
  rust: '@ast-grep/lang-rust',
};

const require = createRequire(import.meta.url);
let loaded: Napi | undefined;

export function loadNapi(): Napi {
  if (loaded) return loaded;
  const napi = require('@ast-grep/napi') as Napi;
  const registrations: DynamicLangRegistrations = {};
  for (const [language, pkg] of Object.entries(DYNAMIC_PACKAGES)) registrations[language] = require(pkg);
  napi.registerDynamicLanguage(registrations);
  loaded = napi;
  return napi;
}

/** The name napi knows a language by (built-in ones are accepted in lower case too). */
export function napiLanguage(language: string): string {
  const canonical = canonicalLanguage(language);
  if (!canonical) throw new Error(`bug: unknown language '${language}' passed validation`);
  return canonical;
}

/**
 * Languages whose grammar has no `$` in identifiers parse patterns with an "expando" character in
 * place of `$` (ast-grep does the same inside). Needed when phasegate parses a pattern itself.
 */
export function expandoOf(language: string): string {
  const canonical = napiLanguage(language);
  if ((BUILTIN_LANGUAGES as readonly string[]).includes(canonical)) return '$';
  const registration = require(DYNAMIC_PACKAGES[canonical as keyof typeof DYNAMIC_PACKAGES]) as { expandoChar?: string };
  return registration.expandoChar ?? '$';
}
