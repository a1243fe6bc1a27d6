import { describe, expect, it } from 'vitest';
import { requiredWords } from '../../src/structural/prefilter.js';
import { parseTemplate, templateVariables } from '../../src/structural/template.js';
import { napiConfig, capturedNames } from '../../src/structural/matcher.js';

/** The pure pieces of the structural engine, on strings. */
describe('fix templates', () => {
  it('splits literal text and metavariables of every arity', () => {
    expect(parseTemplate('X.create($$$ARGS, $A, $$B)')).toEqual([
      { text: 'X.create(' }, { variable: 'ARGS' }, { text: ', ' }, { variable: 'A' }, { text: ', ' }, { variable: 'B' }, { text: ')' },
    ]);
    expect(templateVariables('f($A, $A, $$$REST) + $el + $')).toEqual(['A', 'REST']);
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
});
