import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Match } from '../checks/types.js';
import { readTextFile } from '../scope/text.js';
import { StructuralFinder } from './find.js';
import type { MatcherSpec } from './matcher.js';
import { Codemod, CodemodFileError, type CodemodSpec } from './rewrite.js';

/**
 * The per-file work of a codemod step or a structural check, the same whether it runs on the
 * main thread or in a worker: plain data in, plain data out.
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

export type TextProcessor = (file: string, text: string) => FileOutcome;

export function textProcessor(job: Job): TextProcessor {
  if (job.kind === 'find') {
    const finder = new StructuralFinder(job.matcher);
    return (file, text) => ({ file, matches: finder.find(text, file) });
  }
  const codemod = new Codemod(job.codemod);
  return (file, text) => {
    try {
      const result = codemod.rewrite(text);
      if (result.unparsedLine !== undefined) return { file, changed: false, unparsedLine: result.unparsedLine };
      if (result.text === text) return { file, changed: false };
      writeFileSync(path.join(job.root, file), result.text);
      return { file, changed: true };
    } catch (error) {
      if (error instanceof CodemodFileError) return { file, error: `${file}:${error.line}: ${error.message}` };
      throw error;
    }
  };
}

/** For workers, which get paths: the file is read again (the main thread only prefiltered it). */
export function fileProcessor(job: Job): (file: string) => FileOutcome | undefined {
  const processText = textProcessor(job);
  return (file) => {
    const read = readTextFile(path.join(job.root, file));
    if (read === undefined || 'skipped' in read) return undefined;
    return processText(file, read.text);
  };
}
