import path from 'node:path';
import { StepError } from '../errors.js';
import { readTextFile, writeTextFile } from '../scope/text.js';
import type { SgNode } from '@ast-grep/napi';
import { scanWithCli, type CliMatch } from './ast-grep-cli.js';
import { loadNapi, napiLanguage } from './napi.js';
import type { MatcherSpec } from './matcher.js';
import { chooseThisPass, writtenAfter, type ByteEdit, type ByteSpan } from './once-each.js';
import { keepLiteralLines } from './literal-lines.js';
import { RewriteWindows, type Replacement } from './windows.js';

/**
 * A codemod step's rewrite: ast-grep's CLI finds the matches and spells each replacement
 * (ast-grep-cli.ts); phasegate applies them to the files as `ast-grep run -U` does, and writes
 * only in-scope files it has read itself (no symlinks, nothing outside the tree).
 *
 * Each match is rewritten once, as one CLI run rewrites it (once-each.ts); where matches do not
 * nest, one pass is one CLI run, byte for byte. Where they nest, the CLI rewrites the outer one and
 * leaves the inner one out; phasegate rewrites the inner one first and gives the file another pass,
 * in which the CLI spells the outer one around it. A file also gets another pass where a rewrite
 * may have made an enclosing match (windows.ts tells from the lines around each rewrite, or cannot
 * tell and asks for the pass). Lines that parsed and would stop parsing are never
 * written (ast-grep writes them; a checkpoint must not hold them): where a captured line comment
 * swallowed what the template writes after it, the comment gets its line break back, and
 * anything else is an error. A file that does not parse to begin with is rewritten as the CLI
 * rewrites it.
 *
 * The bytes differ from the CLI's in two places only, both where its output would change the
 * user's program: that line break, and the lines inside a string literal that spans lines, which
 * the CLI re-indents with the capture around them (changing the literal's value) and phasegate
 * keeps as written (literal-lines.ts).
 */
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
  // Per file, where the fix has written so far: a later pass never rewrites that text again.
  const written = new Map<string, ByteSpan[]>();
  let pending: AsyncIterable<readonly string[]> | readonly string[] = candidates;
  for (let pass = 1; !Array.isArray(pending) || pending.length > 0; pass++) {
    const again = new Set<string>();
    const total = Array.isArray(pending) ? `/${pending.length}` : '';
    await scanWithCli(spec.matcher, spec.fix, pending, {
      root: context.root,
      signal: context.signal,
      onBatch: (matches, done) => {
        const batchWritten: string[] = [];
        for (const [file, fixes] of matches) {
          const outcome = applyToFile(context.root, file, fixes, written.get(file) ?? [], windows, spec.matcher.language);
          written.set(file, outcome.written);
          if (outcome.changed) {
            changed.add(file);
            batchWritten.push(file);
          }
          if (outcome.again) again.add(file);
        }
        context.written?.(batchWritten);
        context.progress(`ast-grep${pass > 1 ? ` (pass ${pass})` : ''}: ${done}${total} files · ${changed.size} changed`);
      },
    });
    pending = [...again].sort();
  }
  return { changed: [...changed].sort() };
}

interface FileOutcome { changed: boolean; again: boolean; written: ByteSpan[] }

/**
 * This pass's edits applied to one file, the way `ast-grep run -U` applies them; whether the file
 * needs another pass, and where the fix has written in it. The file is read again here (it was
 * read once to choose candidates): the CLI's byte offsets are offsets into what is on disk now.
 */
function applyToFile(root: string, file: string, fixes: readonly CliMatch[], written: readonly ByteSpan[], windows: RewriteWindows, language: string): FileOutcome {
  const absolute = path.join(root, file);
  const read = readTextFile(absolute);
  if (!read || 'skipped' in read) return { changed: false, again: false, written: [...written] };
  const { chosen: ordered, later } = chooseThisPass(fixes, written);
  // The CLI's replacement, except for the lines inside a multi-line string literal (literal-lines.ts).
  const spelled = (fix: CliMatch, replaced: string) => keepLiteralLines(fix.replacement, replaced, language);
  let built = buildEdits(read.buffer, ordered, spelled);
  if (built.replacements.length === 0) return { changed: false, again: later || built.skipped, written: writtenAfter(written, built.edits) };
  let verdict = windows.judge(read.text, built.after.toString('utf8'), built.replacements);
  if (verdict.brokenLine !== undefined) {
    // ast-grep's own output does not parse here; the one repair known to be needed: a captured
    // line comment that swallowed what the template writes after it.
    const repaired = buildEdits(read.buffer, ordered, (fix, replaced, indent) => unswallowComments(spelled(fix, replaced), replaced, indent, read.text.includes('\r\n') ? '\r\n' : '\n', language));
    const second = windows.judge(read.text, repaired.after.toString('utf8'), repaired.replacements);
    if (second.brokenLine !== undefined) {
      throw new StepError(`${file}:${verdict.brokenLine}: the fix produces code that does not parse as ${language} (line ${verdict.brokenLine}) — check the fix template`);
    }
    built = repaired;
    verdict = second;
  }
  // In place, not truncate-and-write: see writeTextFile (ext4 flushes truncated files on close).
  writeTextFile(absolute, built.after);
  return { changed: true, again: later || built.skipped || verdict.again, written: writtenAfter(written, built.edits) };
}

/** The file with the CLI's edits applied as `ast-grep run -U` applies them: in order, overlaps left out. */
function buildEdits(before: Buffer, ordered: readonly CliMatch[], textOf: (fix: CliMatch, replaced: string, indent: string) => string): { after: Buffer; replacements: Replacement[]; edits: ByteEdit[]; skipped: boolean } {
  const pieces: Buffer[] = [];
  const replacements: Replacement[] = [];
  // Every edit, an unchanged replacement too: its text counts as the fix's (once-each.ts).
  const edits: ByteEdit[] = [];
  let afterBytes = 0;
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
    const bytes = Buffer.from(text, 'utf8');
    pieces.push(before.subarray(position, fix.start), bytes);
    afterBytes += fix.start - position;
    edits.push({ before: { start: fix.start, end: fix.end }, after: { start: afterBytes, end: afterBytes + bytes.length } });
    afterBytes += bytes.length;
    beforeChars += kept.length;
    afterChars += kept.length;
    if (text !== replaced) replacements.push({ before: { start: beforeChars, end: beforeChars + replaced.length }, after: { start: afterChars, end: afterChars + text.length } });
    beforeChars += replaced.length;
    afterChars += text.length;
    position = fix.end;
  }
  pieces.push(before.subarray(position));
  return { after: Buffer.concat(pieces), replacements, edits, skipped };
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

