import path from 'node:path';
import { StepError } from '../errors.js';
import { readTextFile, writeTextFile } from '../scope/text.js';
import type { SgNode } from '@ast-grep/napi';
import { scanWithCli, type CliMatch } from './ast-grep-cli.js';
import { loadNapi, napiLanguage } from './napi.js';
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
 * error (a fix that matches its own pattern). Lines that parsed and would stop parsing are never
 * written (ast-grep writes them; a checkpoint must not hold them): where a captured line comment
 * swallowed what the template writes after it, the comment gets its line break back — the one
 * place the bytes differ from the CLI's — and anything else is an error. A file that does not
 * parse to begin with is rewritten as the CLI rewrites it.
 */
export const MAX_PASSES = 16;

export interface CodemodSpec { matcher: MatcherSpec; fix: string }

export interface CliRewriteContext {
  root: string;
  signal: AbortSignal;
  progress(text: string): void;
  /** Told the files each batch wrote (a file a later pass rewrites is told again). */
  written?(files: readonly string[]): void;
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
        const written: string[] = [];
        for (const [file, fixes] of matches) {
          if (pass > MAX_PASSES) {
            const line = Math.min(...fixes.map((match) => match.line)) + 1;
            throw new StepError(`${file}:${line}: the fix keeps matching its own pattern: still rewriting line ${line} after ${MAX_PASSES} passes (or matches nest more than ${MAX_PASSES} deep there) — make the fix produce code the pattern does not match (a constraint or a 'not:' rule helps)`);
          }
          const outcome = applyToFile(context.root, file, fixes, windows, spec.matcher.language);
          if (outcome.changed) {
            changed.add(file);
            written.push(file);
          }
          if (outcome.again) again.add(file);
        }
        context.written?.(written);
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
  // Outer matches come first at one start (the CLI reports them in pre-order); sort keeps that.
  const ordered = [...fixes].sort((a, b) => a.start - b.start);
  let built = buildEdits(read.buffer, ordered, (fix) => fix.replacement);
  if (built.replacements.length === 0) return { changed: false, again: built.skipped };
  let verdict = windows.judge(read.text, built.after.toString('utf8'), built.replacements);
  if (verdict.brokenLine !== undefined) {
    // ast-grep's own output does not parse here; the one repair known to be needed: a captured
    // line comment that swallowed what the template writes after it.
    const repaired = buildEdits(read.buffer, ordered, (fix, replaced, indent) => unswallowComments(fix.replacement, replaced, indent, read.text.includes('\r\n') ? '\r\n' : '\n', language));
    const second = windows.judge(read.text, repaired.after.toString('utf8'), repaired.replacements);
    if (second.brokenLine !== undefined) {
      throw new StepError(`${file}:${verdict.brokenLine}: the fix produces code that does not parse as ${language} (line ${verdict.brokenLine}) — check the fix template`);
    }
    built = repaired;
    verdict = second;
  }
  // In place, not truncate-and-write: see writeTextFile (ext4 flushes truncated files on close).
  writeTextFile(absolute, built.after);
  return { changed: true, again: built.skipped || verdict.again };
}

/** The file with the CLI's edits applied as `ast-grep run -U` applies them: in order, overlaps left out. */
function buildEdits(before: Buffer, ordered: readonly CliMatch[], textOf: (fix: CliMatch, replaced: string, indent: string) => string): { after: Buffer; replacements: Replacement[]; skipped: boolean } {
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
    const lineStart = fix.start === 0 ? 0 : before.lastIndexOf(10, fix.start - 1) + 1;
    const indent = /^[ \t]*/.exec(before.toString('utf8', lineStart, fix.start))?.[0] ?? '';
    const text = textOf(fix, replaced, indent);
    pieces.push(before.subarray(position, fix.start), Buffer.from(text, 'utf8'));
    beforeChars += kept.length;
    afterChars += kept.length;
    if (text !== replaced) replacements.push({ before: { start: beforeChars, end: beforeChars + replaced.length }, after: { start: afterChars, end: afterChars + text.length } });
    beforeChars += replaced.length;
    afterChars += text.length;
    position = fix.end;
  }
  pieces.push(before.subarray(position));
  return { after: Buffer.concat(pieces), replacements, skipped };
}

/**
 * The CLI fills `f($$$ARGS)` with arguments whose last one ends in a line comment and writes the
 * template's `)` after it, on the comment's line: the `)` becomes part of the comment. Here, a line
 * comment of the matched code that the replacement continues on the same line gets its line break
 * back, with the indentation of the line the match starts on.
 */
function unswallowComments(replacement: string, replaced: string, indent: string, eol: string, language: string): string {
  const comments = new Set<string>();
  const visit = (node: SgNode) => {
    // In a CRLF file a line comment's text ends in `\r`: the line break goes before it, replacing it.
    if (/comment/i.test(String(node.kind())) && !node.text().endsWith('*/')) comments.add(node.text().replace(/\r$/, ''));
    node.children().forEach(visit);
  };
  visit(loadNapi().parse(napiLanguage(language), replaced).root());
  let out = replacement;
  for (const comment of comments) {
    let from = 0;
    for (let at = out.indexOf(comment, from); at >= 0; at = out.indexOf(comment, from)) {
      const end = at + comment.length;
      const rest = /^[^\n]*/.exec(out.slice(end))?.[0] ?? '';
      if (rest.trim() !== '') out = `${out.slice(0, end)}${eol}${indent}${out.slice(end).replace(/^\r?[ \t]*/, '')}`;
      from = end;
    }
  }
  return out;
}

