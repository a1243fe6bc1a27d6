import type { ReplaceStep } from '../plan/schema.js';
import { Confinement } from '../scope/confine.js';
import { runRegexJob } from '../regex/in-worker.js';
import { describeRegex } from '../regex/compile.js';
import { requiredLiteral } from '../scope/literal.js';
import { scopeOf, shorten, type TransformKind } from './types.js';

export { escapeRegExp } from '../regex/compile.js';

/**
 * `replace: <regex>` + `with: <text>`: a multiline JavaScript regex over every file in scope, on
 * the regex worker (a regex that never ends is stopped at the step's `timeout:` or by Ctrl-C).
 */
export const replace: TransformKind<ReplaceStep> = {
  describe: (step) => `replace ${shorten(step.replace, 40)} → ${shorten(step.with, 30)}`,

  async apply(step, context) {
    const inScope = scopeOf(step, context);
    // A file beyond a symlinked folder is outside the working tree: neither read nor written.
    const files = new Confinement(context.root).inside(inScope);
    const prefilter = step.literal ? step.replace : requiredLiteral(step.replace);
    const { changed, skipped } = await runRegexJob(
      { kind: 'replace', root: context.root, files, query: { source: step.replace, literal: step.literal, prefilter }, replacement: step.with },
      {
        signal: context.signal, timeout: step.timeout, name: () => `replace ${describeRegex(step.replace)}`,
        progress: (done, total, count) => context.progress(`scanned ${done}/${total} files · ${count} changed`),
        written: context.written,
      },
    );
    const notes: string[] = [];
    if (files.length < inScope.length) notes.push(`${inScope.length - files.length} file(s) beyond a symlinked folder left alone`);
    if (skipped.binary) notes.push(`${skipped.binary} binary file(s) left alone`);
    if (skipped['not-utf8']) notes.push(`${skipped['not-utf8']} file(s) that are not UTF-8 left alone`);
    return { changed, notes };
  },
};
