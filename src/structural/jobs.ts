import type { SgNode } from '@ast-grep/napi';
import type { Match } from '../scope/match.js';
import { StructuralFinder } from './find.js';
import type { MatcherSpec } from './matcher.js';

/**
 * The per-file work of a structural check: a file's text (and its tree, when it was parsed off
 * the main thread) in, its matches out. (A codemod step runs ast-grep's CLI: cli-rewrite.ts.)
 */
export type Job = { kind: 'find'; root: string; matcher: MatcherSpec };

export interface FileOutcome {
  file: string;
  matches?: Match[];
  /** A file that stopped the job. */
  error?: string;
}

export type TextProcessor = (file: string, text: string, parsed?: SgNode) => FileOutcome;

export function jobLanguage(job: Job): string {
  return job.matcher.language;
}

export function textProcessor(job: Job): TextProcessor {
  const finder = new StructuralFinder(job.matcher);
  return (file, text, parsed) => ({ file, matches: finder.find(text, file, parsed) });
}
