import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../src/transforms/rename.js';

describe('rename', () => {
  it('rename templates', () => {
    expect(fillTemplate('{path}.deprecated_backup', 'a/b/c.py')).toBe('a/b/c.py.deprecated_backup');
    expect(fillTemplate('{dir}/{name}_v2{ext}', 'a/b/c.py')).toBe('a/b/c_v2.py');
    expect(fillTemplate('{dir}/{name}.bak', 'top.txt')).toBe('top.bak');
    expect(() => fillTemplate('{dir}/../../{name}', 'a/b.txt')).toThrow('leaves the repository');
  });
});
