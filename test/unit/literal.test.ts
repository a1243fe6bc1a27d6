import { describe, expect, it } from 'vitest';
import { requiredLiteral } from '../../src/scope/literal.js';
import { escapeRegExp } from '../../src/transforms/replace.js';

describe('regex literals', () => {
  it('the literal prefilter only takes text every match must contain', () => {
    expect(requiredLiteral('from a\\.b import (\\w+)')).toBe('from a.b import ');
    expect(requiredLiteral('foo(bar)?bazz')).toBe('bazz');
    expect(requiredLiteral('cat|dog')).toBeUndefined();
    expect(requiredLiteral('colou?r')).toBe('colo');
    expect(requiredLiteral('ab')).toBeUndefined();
  });

  it('escapeRegExp makes a pattern that matches the text itself', () => {
    const text = 'a.b*(c)[d]{1}|e^f$g?h+i\\j';
    expect(new RegExp(escapeRegExp(text)).exec(`x${text}y`)?.[0]).toBe(text);
  });
});
