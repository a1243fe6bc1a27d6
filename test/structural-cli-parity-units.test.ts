import { describe, expect, it } from 'vitest';
import { coverTokens, mergeFix } from '../src/structural/merge.js';
import { fillTemplate, parseTemplate, type Insertion } from '../src/structural/template.js';

/** The pieces behind the codemod's byte-for-byte agreement with ast-grep's CLI (issue 15). */
const tokens = (text: string) => coverTokens(text, [...text.matchAll(/\w+|[^\s\w]/g)].map((m) => ({ start: m.index, end: m.index + m[0].length })));

describe('merge with copied captures', () => {
  const original = 'assert f(1) == g(\n    (2, 3)\n)';
  const fixed = 'self.assertEqual(f(1), g(\n    (2, 3)\n))';
  // $A = `f(1)` (original 7, fix 17), $B = `g(\n    (2, 3)\n)` (original 15, fix 23).
  const copied = [{ from: 7, at: 17, length: 4 }, { from: 15, at: 23, length: 15 }];

  it('aligns by text alone: the template\'s `)` takes the capture\'s last `)` and its line break', () => {
    expect(mergeFix(original, tokens(original), fixed, tokens(fixed))).toBe('self.assertEqual(f(1), g(\n    (2, 3)\n)\n)');
  });

  it('aligns a copied token only with the token it was copied from: the fix\'s own bytes', () => {
    expect(mergeFix(original, tokens(original), fixed, tokens(fixed), copied)).toBe(fixed);
  });

  it('still keeps the user\'s line breaks around captures between template tokens that stay neighbours', () => {
    const call = 'f(\n    a,\n    b,\n)';
    expect(mergeFix(call, tokens(call), 'g.h(a,\n    b,)', tokens('g.h(a,\n    b,)'), [{ from: 7, at: 4, length: 9 }])).toBe('g.h(\n    a,\n    b,\n)');
  });
});

describe('fill reports where each value goes', () => {
  it('with its offset and whether the template breaks the line right after it', () => {
    const seen: [string, Insertion][] = [];
    const out = fillTemplate(parseTemplate('def $F():\n    $$$PRE\n    print($X)'), (name, insertion) => {
      seen.push([name, insertion]);
      return name.toLowerCase();
    });
    expect(out).toBe('def f():\n    pre\n    print(x)');
    expect(seen).toEqual([['F', { at: 4, lineBreakNext: false }], ['PRE', { at: 13, lineBreakNext: true }], ['X', { at: 27, lineBreakNext: false }]]);
  });
});
