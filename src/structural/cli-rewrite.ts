import path from 'node:path';
import { StepError } from '../errors.js';
import { readTextFile, writeTextFile } from '../scope/text.js';
import { ERROR_RULE, FIX_RULE, scanWithCli, type CliMatch } from './ast-grep-cli.js';
import type { MatcherSpec } from './matcher.js';
import { loadNapi, napiLanguage } from './napi.js';
import { firstError } from './tree.js';
import { RewriteWindows, type Replacement } from './windows.js';

/**
 * A codemod step's rewrite: ast-grep's CLI finds the matches and spells each replacement
 * (ast-grep-cli.ts); phasegate applies them to the files exactly as `ast-grep run -U` does —
 * in order, an edit that overlaps one already applied is left out — and writes only in-scope
 * files it has read itself (no symlinks, nothing outside the tree).
 *
 * One pass is one CLI run, byte for byte. A file gets another pass only when the first could not
 * finish it: a match nested in one just rewritten (the CLI leaves it for another run), or a
 * rewritten line where the fix's output matches again or does not parse (windows.ts tells, or
 * cannot tell cheaply and leaves it to the next pass). A file whose output still wants rewriting
 * after MAX_PASSES is an error (a fix that matches its own pattern), as is a fix that breaks the
 * syntax of a file that parsed. A file that does not parse to begin with is left alone.
 */
export const MAX_PASSES = 16;

export interface CodemodSpec { matcher: MatcherSpec; fix: string }

export interface CliRewriteContext {
  root: string;
  signal: AbortSignal;
  progress(text: string): void;
}

export interface CliRewriteResult {
  changed: string[];
  /** Files left alone because they have syntax errors, with the line of the first one. */
  unparsed: { file: string; line: number }[];
}

export async function rewriteWithCli(spec: CodemodSpec, candidates: readonly string[], context: CliRewriteContext): Promise<CliRewriteResult> {
  const changed = new Set<string>();
  const unparsed: { file: string; line: number }[] = [];
  const windows = new RewriteWindows(spec.matcher);
  let pending = [...candidates];
  for (let pass = 1; pending.length > 0; pass++) {
    const again = new Set<string>();
    const total = pending.length;
    await scanWithCli(spec.matcher, spec.fix, pending, {
      root: context.root,
      signal: context.signal,
      onBatch: (matches, done) => {
        for (const [file, found] of matches) {
          const errors = found.filter((match) => match.rule === ERROR_RULE);
          if (errors.length > 0) {
            const line = firstErrorLine(context.root, file, spec.matcher.language);
            if (pass === 1) unparsed.push({ file, line });
            else throw new StepError(`${file}:${line}: the fix produces code that does not parse as ${spec.matcher.language} (line ${line}) — check the fix template`);
            continue;
          }
          const fixes = found.filter((match) => match.rule === FIX_RULE);
          if (fixes.length === 0) continue;
          if (pass > MAX_PASSES) {
            const line = Math.min(...fixes.map((match) => match.line)) + 1;
            throw new StepError(`${file}:${line}: the fix keeps matching its own pattern: still rewriting line ${line} after ${MAX_PASSES} passes (or matches nest more than ${MAX_PASSES} deep there) — make the fix produce code the pattern does not match (a constraint or a 'not:' rule helps)`);
          }
          const outcome = applyToFile(context.root, file, fixes, windows, spec.matcher.language);
          if (outcome.changed) changed.add(file);
          if (outcome.again) again.add(file);
        }
        context.progress(`ast-grep${pass > 1 ? ` (pass ${pass})` : ''}: ${done}/${total} files · ${changed.size} changed`);
      },
    });
    pending = [...again].sort();
  }
  unparsed.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { changed: [...changed].sort(), unparsed };
}

/**
 * The CLI's edits applied to one file, the way `ast-grep run -U` applies them; whether the file
 * needs another pass. The file is read again here (it was read once to choose candidates): the
 * CLI's byte offsets are offsets into what is on disk now.
 */
function applyToFile(root: string, file: string, fixes: readonly CliMatch[], windows: RewriteWindows, language: string): { changed: boolean; again: boolean } {
  const absolute = path.join(root, file);
  const read = readTextFile(absolute);
  if (!read || 'skipped' in read) return { changed: false, again: false };
  const before = read.buffer;
  // Outer matches come first at one start (the CLI reports them in pre-order); sort keeps that.
  const ordered = [...fixes].sort((a, b) => a.start - b.start);
  const pieces: Buffer[] = [];
  const replacements: Replacement[] = [];
  let position = 0;
  let skipped = false;
  // Character offsets run alongside byte offsets: windows.ts works on strings.
  let beforeChars = 0;
  let afterChars = 0;
  for (const fix of ordered) {
    if (fix.start < position) {
      skipped = true;
      continue;
    }
    const kept = before.toString('utf8', position, fix.start);
    const replaced = before.toString('utf8', fix.start, fix.end);
    const text = fix.replacement ?? '';
    pieces.push(before.subarray(position, fix.start), Buffer.from(text, 'utf8'));
    beforeChars += kept.length;
    afterChars += kept.length;
    if (text !== replaced) replacements.push({ before: { start: beforeChars, end: beforeChars + replaced.length }, after: { start: afterChars, end: afterChars + text.length } });
    beforeChars += replaced.length;
    afterChars += text.length;
    position = fix.end;
  }
  pieces.push(before.subarray(position));
  if (replacements.length === 0) return { changed: false, again: skipped };
  const after = Buffer.concat(pieces);
  const verdict = windows.judge(read.text, after.toString('utf8'), replacements);
  if (verdict.brokenLine !== undefined) {
    throw new StepError(`${file}:${verdict.brokenLine}: the fix produces code that does not parse as ${language} (line ${verdict.brokenLine}) — check the fix template`);
  }
  // In place, not truncate-and-write: see writeTextFile (ext4 flushes truncated files on close).
  writeTextFile(absolute, after);
  return { changed: true, again: skipped || verdict.again };
}

/** The line (1-based) of a file's first syntax error: parsed here again, for files that have one. */
function firstErrorLine(root: string, file: string, language: string): number {
  const read = readTextFile(path.join(root, file));
  if (!read || 'skipped' in read) return 1;
  const error = firstError(loadNapi().parse(napiLanguage(language), read.text).root());
  return error ? error.range().start.line + 1 : 1;
}
