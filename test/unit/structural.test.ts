import { describe, expect, it } from 'vitest';
import { alignTokens, coverTokens, mergeFix, minimalEdit } from '../../src/structural/merge.js';
import { requiredWords } from '../../src/structural/prefilter.js';
import { isContextFree, matchKinds } from '../../src/structural/shape.js';
import { fillTemplate, parseTemplate, templateVariables } from '../../src/structural/template.js';
import { applyEdits, disjoint } from '../../src/structural/rewrite.js';
import { napiConfig, capturedNames } from '../../src/structural/matcher.js';

/** The pure pieces of the structural engine, on strings. */
describe('fix templates', () => {
  it('splits literal text and metavariables of every arity', () => {
    expect(parseTemplate('X.create($$$ARGS, $A, $$B)')).toEqual([
      { text: 'X.create(' }, { variable: 'ARGS' }, { text: ', ' }, { variable: 'A' }, { text: ', ' }, { variable: 'B' }, { text: ')' },
    ]);
    expect(templateVariables('f($A, $A, $$$REST) + $el + $')).toEqual(['A', 'REST']);
  });

  it('inserts captured text verbatim, in one pass', () => {
    const values: Record<string, string> = { A: '"$B"', B: 'never' };
    expect(fillTemplate(parseTemplate('g($A)'), (name) => values[name])).toBe('g("$B")');
    expect(fillTemplate(parseTemplate('g($MISSING)'), () => undefined)).toBe('g()');
  });

  it('indents new lines of the template and writes the file\'s line ending', () => {
    expect(fillTemplate(parseTemplate('with lock:\n    run($A)\n\nend'), () => 'x', '  ', '\r\n')).toBe('with lock:\r\n      run(x)\r\n\r\n  end');
  });
});

describe('formatting-preserving merge', () => {
  // Leaves as a syntax tree would give them: words and single punctuation marks.
  const tokens = (text: string) => coverTokens(text, [...text.matchAll(/\w+|[^\s\w]/g)].map((m) => ({ start: m.index, end: m.index + m[0].length })));

  it('covers every non-whitespace run the leaves miss', () => {
    expect(coverTokens('a \\\n b', [{ start: 0, end: 1 }, { start: 5, end: 6 }])).toEqual([{ start: 0, end: 1 }, { start: 2, end: 3 }, { start: 5, end: 6 }]);
  });

  it('keeps the original whitespace between tokens that stay neighbours', () => {
    const original = 'f(\n    a,\n    b,\n)';
    const fixed = 'g.h(a, b,)';
    expect(mergeFix(original, tokens(original), fixed, tokens(fixed))).toBe('g.h(\n    a,\n    b,\n)');
  });

  it('uses the fix\'s whitespace where tokens are new neighbours', () => {
    const original = 'a; b';
    const fixed = 'a\nb';
    expect(mergeFix(original, tokens(original), fixed, tokens(fixed))).toBe('a\nb');
  });

  it('finds the smallest edit', () => {
    expect(minimalEdit('X(a, b)', 'X.create(a, b)', 10)).toEqual({ start: 11, end: 11, text: '.create' });
    expect(minimalEdit('same', 'same')).toBeUndefined();
  });

  it('aligns tokens by longest common subsequence', () => {
    expect(alignTokens(['f', '(', 'a', ')'], ['g', '.', 'f', '(', 'a', ')'])).toEqual([undefined, undefined, 0, 1, 2, 3]);
    expect(alignTokens(['a', 'x', 'b'], ['a', 'y', 'b'])).toEqual([0, undefined, 2]);
  });
});

describe('edits of one pass', () => {
  it('applies non-overlapping edits and defers the rest', () => {
    const edits = [{ start: 0, end: 5, text: 'A' }, { start: 2, end: 3, text: 'B' }, { start: 6, end: 6, text: 'C' }, { start: 6, end: 6, text: 'D' }];
    expect(disjoint(edits)).toEqual([edits[0], edits[2]]);
    expect(applyEdits('0123456789', disjoint(edits))).toBe('A5C6789');
  });
});

describe('matchers', () => {
  it('puts a strictness on every pattern of a rule, keeping one a pattern sets itself', () => {
    const config = napiConfig({ language: 'python', strictness: 'cst', rule: { all: [{ pattern: 'a($X)' }, { has: { pattern: { context: 'b', strictness: 'ast' } } }] } });
    expect(config.rule).toEqual({ all: [{ pattern: { context: 'a($X)', strictness: 'cst' } }, { has: { pattern: { context: 'b', strictness: 'ast' } } }] });
    expect(napiConfig({ language: 'python', pattern: 'a($X)' }).rule).toEqual({ pattern: 'a($X)' });
  });

  it('knows which metavariables a rule can capture', () => {
    expect([...capturedNames({ language: 'python', rule: { pattern: 'f($A, $$$REST)' }, constraints: { A: { regex: 'x' } } })].sort()).toEqual(['A', 'REST']);
  });

  it('takes prefilter words from named leaves only, never metavariables or comments', () => {
    expect(requiredWords({ language: 'python', pattern: 'WebSocketNotifier($$$ARGS)' })).toEqual(['WebSocketNotifier']);
    expect(requiredWords({ language: 'python', pattern: '$OBJ.send_event($E, "done")  # why' })).toEqual(['send_event', 'done']);
    expect(requiredWords({ language: 'typescript', pattern: 'foo<$T>($A)' })).toEqual(['foo']);
    expect(requiredWords({ language: 'python', pattern: 'foo($A)', strictness: 'signature' })).toEqual([]);
  });

  it('takes prefilter words from the parts of a rule every match must satisfy', () => {
    const spec = { language: 'python', rule: { all: [{ kind: 'call' }, { has: { pattern: 'emitter' } }], not: { pattern: 'ignored' } }, utils: {} };
    expect(requiredWords(spec)).toEqual(['emitter']);
    expect(requiredWords({ language: 'python', rule: { any: [{ pattern: 'a()' }, { pattern: 'b()' }] } })).toEqual([]);
    expect(requiredWords({ language: 'python', rule: { kind: 'identifier', regex: '^Notifier$' } })).toEqual(['Notifier']);
  });

  it('tells context-free matchers and the kinds they can match', () => {
    expect(isContextFree({ language: 'python', pattern: 'f($A)' })).toBe(true);
    expect(isContextFree({ language: 'python', rule: { kind: 'call', inside: { kind: 'class_definition' } } })).toBe(false);
    expect([...matchKinds({ language: 'python', pattern: 'f($A)' })!]).toEqual(['expression_statement', 'call']);
    expect(matchKinds({ language: 'python', pattern: '$A' })).toBeUndefined();
    expect([...matchKinds({ language: 'python', rule: { any: [{ kind: 'call' }, { kind: 'decorator' }] } })!]).toEqual(['call', 'decorator']);
  });
});
