import path from 'node:path';
import { StepError } from '../errors.js';
import { readTextFile, writeTextFile } from '../scope/text.js';
import { scanWithCli, type CliMatch } from './ast-grep-cli.js';
import type { MatcherSpec } from './matcher.js';
import { RewriteWindows, type Replacement } from './windows.js';

/**
 * A codemod step's rewrite: ast-grep's CLI finds the matches and spells each replacement
 * (ast-grep-cli.ts); phasegate applies them to the files exactly as `ast-grep run -U` does —
 * in order, an edit that overlaps one already applied is left out — and writes only in-scope
 * files it has read itself (no symlinks, nothing outside the tree).
 *
 * One pass is one CLI run, byte for byte. A file gets another pass only when the first may not
 * have finished it: a match nested in one just rewritten (the CLI leaves it for another run), or
 * the fix's output matching again (windows.ts tells from the lines around each rewrite, or cannot
 * tell and asks for the pass). A file whose output still wants rewriting after MAX_PASSES is an
 * error (a fix that matches its own pattern), as is a rewrite that makes lines that parsed stop
 * parsing (ast-grep writes it; a checkpoint must not hold it). A file that does not parse to begin
 * with is rewritten as the CLI rewrites it.
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
}

/** `candidates`: files, or batches of them as they are chosen (candidates.ts). */
export async function rewriteWithCli(spec: CodemodSpec, candidates: AsyncIterable<readonly string[]> | readonly string[], context: CliRewriteContext): Promise<CliRewriteResult> {
  const changed = new Set<string>();
  const windows = new RewriteWindows(spec.matcher);
  let pending: AsyncIterable<readonly string[]> | readonly string[] = candidates;
  for (let pass = 1; !Array.isArray(pending) || pending.length > 0; pass++) {
    const again = new Set<string>();
    const total = Array.isArray(pending) ? `/${pending.length}` : '';
    await scanWithCli(spec.matcher, spec.fix, pending, {
      root: context.root,
      signal: context.signal,
      onBatch: (matches, done) => {
        for (const [file, fixes] of matches) {
          if (pass > MAX_PASSES) {
            const line = Math.min(...fixes.map((match) => match.line)) + 1;
            throw new StepError(`${file}:${line}: the fix keeps matching its own pattern: still rewriting line ${line} after ${MAX_PASSES} passes (or matches nest more than ${MAX_PASSES} deep there) — make the fix produce code the pattern does not match (a constraint or a 'not:' rule helps)`);
          }
          const outcome = applyToFile(context.root, file, fixes, windows, spec.matcher.language);
          if (outcome.changed) changed.add(file);
          if (outcome.again) again.add(file);
        }
        context.progress(`ast-grep${pass > 1 ? ` (pass ${pass})` : ''}: ${done}${total} files · ${changed.size} changed`);
      },
    });
    pending = [...again].sort();
  }
  return { changed: [...changed].sort() };
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
    const text = fix.replacement;
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

