import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { Match } from '../scope/match.js';
import { loadNapi, napiLanguage } from './napi.js';
import { napiConfig, type MatcherSpec } from './matcher.js';

/**
 * Lines where a structural matcher matches, reported like the regex checks: the line a match
 * starts on, once per line, with that line's text.
 */
export class StructuralFinder {
  private readonly language: string;
  private readonly config: NapiConfig;

  constructor(spec: MatcherSpec) {
    this.language = napiLanguage(spec.language);
    this.config = napiConfig(spec);
  }

  /** `parsed`: the text's tree, when it was parsed already. */
  find(text: string, file: string, parsed?: SgNode): Match[] {
    const root = parsed ?? loadNapi().parse(this.language, text).root();
    const lines = [...new Set(root.findAll(this.config).map((node) => node.range().start.line))].sort((a, b) => a - b);
    if (lines.length === 0) return [];
    const textLines = text.split('\n');
    return lines.map((line) => ({ file, line: line + 1, text: (textLines[line] ?? '').replace(/\r$/, '') }));
  }
}
