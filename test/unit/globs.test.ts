import { describe, expect, it } from 'vitest';
import { compileGlobs } from '../../src/scope/globs.js';

describe('scope globs', () => {
  it('globs: ** globs, basename globs, plain directories, exclusions', () => {
    const python = compileGlobs(['**/*.py', '!tests/**']);
    expect(['a.py', 'pkg/b.py', 'tests/c.py', 'd.js'].filter(python)).toEqual(['a.py', 'pkg/b.py']);
    expect(['x.py', 'deep/y.py'].filter(compileGlobs('*.py'))).toEqual(['x.py', 'deep/y.py']);
    expect(['src/a', 'src/b/c', 'srcx'].filter(compileGlobs('src'))).toEqual(['src/a', 'src/b/c']);
    expect(['.github/w.yml'].filter(compileGlobs('**/*.yml'))).toEqual(['.github/w.yml']);
  });
});
