import path from 'node:path';
import type { SgNode } from '@ast-grep/napi';
import type { Match } from '../scope/match.js';
import { writeTextFile } from '../scope/text.js';
import { StructuralFinder } from './find.js';
import type { MatcherSpec } from './matcher.js';
import { Codemod, CodemodFileError, type CodemodSpec } from './rewrite.js';

/**
 * The per-file work of a codemod step or a structural check: a file's text (and its tree, when
 * it was parsed off the main thread) in, what happened to it out.
 */
export type Job =
  | { kind: 'rewrite'; root: string; codemod: CodemodSpec }
  | { kind: 'find'; root: string; matcher: MatcherSpec };

export interface FileOutcome {
  file: string;
  changed?: boolean;
  matches?: Match[];
  /** A file that stopped the step (a fix that never stops matching, or breaks the syntax). */
  error?: string;
  /** A file left alone because it has syntax errors: where the first one is. */
  unparsedLine?: number;
}

export type TextProcessor = (file: string, text: string, parsed?: SgNode) => FileOutcome;

export function jobLanguage(job: Job): string {
  return job.kind === 'find' ? job.matcher.language : job.codemod.matcher.language;
}

export function textProcessor(job: Job): TextProcessor {
  if (job.kind === 'find') {
    const finder = new StructuralFinder(job.matcher);
    return (file, text, parsed) => ({ file, matches: finder.find(text, file, parsed) });
  }
  const codemod = new Codemod(job.codemod);
  return (file, text, parsed) => {
    try {
      const result = codemod.rewrite(text, parsed);
      if (result.unparsedLine !== undefined) return { file, changed: false, unparsedLine: result.unparsedLine };
      if (result.text === text) return { file, changed: false };
      // In place, not truncate-and-write: see writeTextFile (ext4 flushes truncated files on close).
      writeTextFile(path.join(job.root, file), result.text);
      return { file, changed: true };
    } catch (error) {
      if (error instanceof CodemodFileError) return { file, error: `${file}:${error.line}: ${error.message}` };
      throw error;
    }
  };
}
