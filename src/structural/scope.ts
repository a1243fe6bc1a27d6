import { LANGUAGE_EXTENSIONS, canonicalLanguage } from '../plan/languages.js';

/**
 * A structural step or check without `files` of its own looks only at files of its language
 * (the plan's `files` may well include docs and configs, which must not be parsed as code).
 */
export function filesOfLanguage(files: readonly string[], language: string, ownFiles: unknown): string[] {
  if (ownFiles !== undefined) return [...files];
  const extensions = LANGUAGE_EXTENSIONS[canonicalLanguage(language) ?? ''] ?? [];
  return files.filter((file) => extensions.some((extension) => file.endsWith(extension)));
}
