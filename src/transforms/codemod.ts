import type { CodemodStep } from '../plan/schema.js';
import { createHash } from 'node:crypto';
import { withDeadline } from '../process/deadline.js';
import { specOfStep } from '../structural/matcher.js';
import { scopeOf, shorten, type TransformKind } from './types.js';

/**
 * `codemod: <ast-grep pattern or rule>` + `fix:` + `language:` — a rewrite on the syntax tree, so
 * strings, comments and look-alikes (`class X(Base):` for `X($$$A)`) are never touched. ast-grep's
 * own CLI spells every replacement, so the files come out as `ast-grep run -U` writes them
 * (structural/cli-rewrite.ts).
 */
export const codemod: TransformKind<CodemodStep> = {
  describe: (step) => `codemod ${typeof step.codemod === 'string' ? shorten(step.codemod, 40) : describeRule(step.codemod.rule)} → ${shorten(step.fix, 30)}`,

  async apply(step, context) {
    const [{ rewriteWithCli }, { candidateBatches }, { requiredWords }, { callPrefilter }, { filesOfLanguage }] = await Promise.all([
      import('../structural/cli-rewrite.js'), import('../structural/candidates.js'),
      import('../structural/prefilter.js'), import('../structural/prefilter-call.js'), import('../structural/scope.js'),
    ]);
    const matcher = specOfStep(step);
    const files = filesOfLanguage(scopeOf(step, context), step.language, step.files);
    // The step's `timeout:` stops the selection and the CLI (its process group is killed) through the abort signal.
    const deadline = withDeadline(context.signal, step.timeout);
    const selected = { files: 0, skipped: { binary: 0, 'not-utf8': 0 } };
    const candidates = candidateBatches(context.root, files, requiredWords(matcher), deadline.signal, selected, callPrefilter(matcher));
    const result = await rewriteWithCli({ matcher, fix: step.fix }, candidates, { ...context, signal: deadline.signal }).finally(deadline.dispose);
    const notes = [`${selected.files} of ${files.length} ${step.language} file(s) parsed`];
    if (selected.skipped.binary) notes.push(`${selected.skipped.binary} binary file(s) left alone`);
    if (selected.skipped['not-utf8']) notes.push(`${selected.skipped['not-utf8']} file(s) that are not UTF-8 left alone`);
    return { changed: result.changed, notes };
  },
};

/**
 * A rule in one line, `{kind: call, has: {pattern: X($$$A)}}`, so that two unnamed rule steps are
 * told apart on screen. Cut short, it keeps a short hash of the whole rule for the same reason.
 */
function describeRule(rule: unknown, max = 50): string {
  const flow = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
    if (value && typeof value === 'object') return `{${Object.entries(value).map(([key, inner]) => `${key}: ${flow(inner)}`).join(', ')}}`;
    return String(value);
  };
  const line = flow(rule).replace(/\s+/g, ' ');
  if (line.length <= max) return line;
  return `${line.slice(0, max - 7)}… #${createHash('sha256').update(line).digest('hex').slice(0, 4)}`;
}
