import { readFileSync } from 'node:fs';
import { processTree } from './process-tree.js';

/**
 * A codemod run long enough to be caught at work: tests that interrupt or kill phasegate while
 * ast-grep's CLI rewrites (codemod-interrupt, temp-folders-after-kill) share the plan, the files
 * and the way to find the CLI among phasegate's descendants.
 */
export const CALLS_PLAN = `version: 1
name: calls
phases:
  - id: factory
    transform:
      - codemod: 'WebSocketNotifier($$$ARGS)'
        fix: 'WebSocketNotifier.create_for_user($$$ARGS)'
        language: python
`;

/** `files` Python files of `lines` calls each: the CLI's work grows with both. */
export function manyCalls(lines: number, files: number): Record<string, string> {
  const body = Array.from({ length: lines }, (_, line) => `n${line} = WebSocketNotifier(emitter, ${line})\n`).join('');
  return Object.fromEntries(Array.from({ length: files }, (_, index) => [`app/m${index}.py`, body]));
}

/** The ast-grep CLI among the descendants of `root`, if one runs. */
export function astGrepUnder(root: number): number | undefined {
  return processTree(root).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'ast-grep';
    } catch {
      return false;
    }
  });
}
