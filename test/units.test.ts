import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCLI } from '../src/cli.js';
import { evaluateGate } from '../src/engine/run/gate.js';
import { planJsonSchemaText } from '../src/plan/json-schema.js';
import { parseDuration } from '../src/plan/duration.js';
import { compileGlobs } from '../src/scope/globs.js';
import { requiredLiteral } from '../src/scope/literal.js';
import { fillTemplate } from '../src/transforms/rename.js';

describe('parseCLI', () => {
  it.each([
    [['run', 'p'], { name: 'run', plan: 'p', yes: false, noBranch: false, dryRun: false }],
    [['run', 'p', '-y', '--branch', 'b', '--from', 'a', '--to', 'c', '--report', 'r.json'], { name: 'run', yes: true, branch: 'b', from: 'a', to: 'c', report: 'r.json' }],
    [['run', 'p', '--no-branch', '--dry-run', '--summary', 's.md', '--junit', 'j.xml'], { noBranch: true, dryRun: true, summary: 's.md', junit: 'j.xml' }],
    [['rollback', 'base', '--plan', 'p', '--strategy', 'revert', '--yes'], { name: 'rollback', target: 'base', plan: 'p', strategy: 'revert', yes: true }],
    [['rollback', 'imports'], { name: 'rollback', target: 'imports', strategy: 'reset', yes: false }],
    [['status'], { name: 'status', json: false }],
    [['status', 'p', '--json'], { name: 'status', plan: 'p', json: true }],
    [['check', 'p'], { name: 'check', plan: 'p' }],
    [['init'], { name: 'init', planName: 'migration' }],
    [['rehearse', 'p'], { name: 'rehearse', plan: 'p' }],
    [['--version'], { name: 'version' }],
    [[], { name: 'help' }],
    [['run', '--help'], { name: 'help', topic: 'run' }],
  ])('%j', (argv, expected) => {
    expect(parseCLI(argv)).toMatchObject(expected);
  });

  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['run'], 'missing <plan>'],
    [['run', 'p', '--frobnicate'], "unknown option '--frobnicate'"],
    [['run', 'p', 'q'], "unexpected argument 'q'"],
    [['run', 'p', '--branch', 'b', '--no-branch'], '--branch and --no-branch cannot be used together'],
    [['rollback', 'base', '--strategy', 'rebase'], "--strategy must be 'reset' or 'revert'"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCLI(argv)).toThrow(message);
  });
});

describe('score gate', () => {
  const check = (passed: boolean, weight = 1, required = false) => ({ name: `c${weight}`, passed, weight, required });
  it('without a threshold every check must pass', () => {
    expect(evaluateGate([check(true), check(false)], null)).toMatchObject({ passed: false, score: 50 });
    expect(evaluateGate([check(true), check(true)], null)).toMatchObject({ passed: true, score: 100 });
    expect(evaluateGate([], null)).toMatchObject({ passed: true, score: 100 });
  });
  it('with a threshold it is the weighted share, and required checks must pass', () => {
    expect(evaluateGate([check(true, 2), check(true, 1), check(false, 1)], 75)).toMatchObject({ passed: true, score: 75 });
    expect(evaluateGate([check(true, 2), check(true, 1), check(false, 1)], 76)).toMatchObject({ passed: false, score: 75 });
    expect(evaluateGate([check(true, 9), check(false, 1, true)], 50)).toMatchObject({ passed: false, score: 90, failedRequired: ['c1'] });
    expect(evaluateGate([check(true, 0), check(false, 0)], 50)).toMatchObject({ score: 0 });
  });
});

describe('small pieces', () => {
  it('durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration(2)).toBe(2000);
  });

  it('globs: ** globs, basename globs, plain directories, exclusions', () => {
    const python = compileGlobs(['**/*.py', '!tests/**']);
    expect(['a.py', 'pkg/b.py', 'tests/c.py', 'd.js'].filter(python)).toEqual(['a.py', 'pkg/b.py']);
    expect(['x.py', 'deep/y.py'].filter(compileGlobs('*.py'))).toEqual(['x.py', 'deep/y.py']);
    expect(['src/a', 'src/b/c', 'srcx'].filter(compileGlobs('src'))).toEqual(['src/a', 'src/b/c']);
    expect(['.github/w.yml'].filter(compileGlobs('**/*.yml'))).toEqual(['.github/w.yml']);
  });

  it('the literal prefilter only takes text every match must contain', () => {
    expect(requiredLiteral('from a\\.b import (\\w+)')).toBe('from a.b import ');
    expect(requiredLiteral('foo(bar)?bazz')).toBe('bazz');
    expect(requiredLiteral('cat|dog')).toBeUndefined();
    expect(requiredLiteral('colou?r')).toBe('colo');
    expect(requiredLiteral('ab')).toBeUndefined();
  });

  it('rename templates', () => {
    expect(fillTemplate('{path}.deprecated_backup', 'a/b/c.py')).toBe('a/b/c.py.deprecated_backup');
    expect(fillTemplate('{dir}/{name}_v2{ext}', 'a/b/c.py')).toBe('a/b/c_v2.py');
    expect(fillTemplate('{dir}/{name}.bak', 'top.txt')).toBe('top.bak');
    expect(() => fillTemplate('{dir}/../../{name}', 'a/b.txt')).toThrow('leaves the repository');
  });

  it('the checked-in JSON Schema is generated from the plan schema (run `npm run schema` when this fails)', () => {
    expect(readFileSync(new URL('../schema/plan.schema.json', import.meta.url), 'utf8')).toBe(planJsonSchemaText());
  });
});
