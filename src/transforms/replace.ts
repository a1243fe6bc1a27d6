import path from 'node:path';
import type { ReplaceStep } from '../plan/schema.js';
import { Confinement } from '../scope/confine.js';
import { readTextFile, writeTextFile } from '../scope/text.js';
import { requiredLiteral } from '../scope/literal.js';
import { forEachFile } from './batches.js';
import { scopeOf, shorten, type TransformKind } from './types.js';

/** `replace: <regex>` + `with: <text>`: a multiline JavaScript regex over every file in scope. */
export const replace: TransformKind<ReplaceStep> = {
  describe: (step) => `replace ${shorten(step.replace, 40)} → ${shorten(step.with, 30)}`,

  async apply(step, context) {
    const inScope = scopeOf(step, context);
    // A file beyond a symlinked folder is outside the working tree: neither read nor written.
    const files = new Confinement(context.root).inside(inScope);
    const source = step.literal ? escapeRegExp(step.replace) : step.replace;
    const pattern = new RegExp(source, 'gm');
    // literal: the replacement is plain text too ($1 stays "$1").
    const replacement: string | (() => string) = step.literal ? () => step.with : step.with;
    const prefilter = step.literal ? step.replace : requiredLiteral(step.replace);
    const changed: string[] = [];
    const skipped = { binary: 0, 'not-utf8': 0 };

    await forEachFile(files, context.signal, (file) => {
      const absolute = path.join(context.root, file);
      const read = readTextFile(absolute, prefilter);
      if (read === undefined) return;
      if ('skipped' in read) {
        if (read.skipped === 'binary' || read.skipped === 'not-utf8') skipped[read.skipped]++;
        return;
      }
      const next = read.text.replace(pattern, replacement as string);
      if (next !== read.text) {
        writeTextFile(absolute, next);
        changed.push(file);
      }
    }, (done, total) => context.progress(`scanned ${done}/${total} files · ${changed.length} changed`));

    const notes: string[] = [];
    if (files.length < inScope.length) notes.push(`${inScope.length - files.length} file(s) beyond a symlinked folder left alone`);
    if (skipped.binary) notes.push(`${skipped.binary} binary file(s) left alone`);
    if (skipped['not-utf8']) notes.push(`${skipped['not-utf8']} file(s) that are not UTF-8 left alone`);
    return { changed, notes };
  },
};

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
