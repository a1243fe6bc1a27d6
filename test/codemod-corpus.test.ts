import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Codemod, FixLoopError, FixSyntaxError, type CodemodSpec } from '../src/structural/rewrite.js';
import { astGrepCli } from './helpers/ast-grep-cli.js';

/**
 * The rewrite engine on a corpus of tricky inputs: it changes exactly the real calls — never class
 * definitions, base-class lists, strings, comments or the text of f-strings/template strings — keeps
 * the formatting and comments around them, and a second run over its output changes nothing.
 */
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/codemod');
const fixture = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

function rewriteAll(specs: CodemodSpec[], text: string): string {
  return specs.reduce((current, spec) => new Codemod(spec).rewrite(current).text, text);
}

/** The same specs run by ast-grep's own CLI (pattern specs only). */
function cliAll(specs: readonly CodemodSpec[], text: string): string {
  return astGrepCli(specs.map(({ matcher, fix }) => ({ language: matcher.language, pattern: matcher.pattern!, fix })), text);
}

const python: CodemodSpec[] = [{
  matcher: { language: 'python', pattern: 'WebSocketNotifier($$$ARGS)' },
  fix: 'WebSocketNotifier.create_for_user($$$ARGS)',
}];

// TypeScript: the plain call, and the generic one; the identifier rule form covers both at once.
const typescript: CodemodSpec[] = [
  { matcher: { language: 'typescript', pattern: 'Notifier($$$ARGS)' }, fix: 'Notifier.create($$$ARGS)' },
  { matcher: { language: 'typescript', pattern: 'Notifier<$$$T>($$$ARGS)' }, fix: 'Notifier.create<$$$T>($$$ARGS)' },
];
const typescriptRule: CodemodSpec[] = [{
  matcher: {
    language: 'typescript',
    rule: { kind: 'identifier', regex: '^Notifier$', inside: { any: [{ kind: 'call_expression' }, { kind: 'decorator' }], field: 'function', stopBy: 'neighbor' } },
  },
  fix: 'Notifier.create',
}];

describe('codemod corpus: only real calls change, and a second run changes nothing', () => {
  it.each([
    ['python, pattern form', python, 'notifier.py', 'notifier.expected.py'],
    ['typescript, plain and generic calls', typescript, 'notifier.ts', 'notifier.expected.ts'],
  ] as const)('%s', (_name, specs, input, expected) => {
    const once = rewriteAll([...specs], fixture(input));
    expect(once).toBe(fixture(expected));
    for (const spec of specs) expect(new Codemod(spec).rewrite(once).passes).toBe(0);
    // Deliberately not the CLI's bytes (see 'where phasegate differs from ast-grep's CLI on purpose').
    expect(cliAll(specs, fixture(input))).not.toBe(once);
  });

  it('typescript, a rule that rewrites only the callee identifier (decorators and generics included)', () => {
    const source = fixture('notifier.ts');
    const once = rewriteAll(typescriptRule, source);
    // The decorator `@Notifier({…})` is a call_expression inside a decorator: its callee changes too.
    expect(once).toBe(fixture('notifier.expected.ts'));
    expect(new Codemod(typescriptRule[0]).rewrite(once).passes).toBe(0);
  });
});

describe('the other languages ast-grep ships parsers for', () => {
  it.each([
    ['go', 'NewNotifier($$$A)', 'notifier.Create($$$A)',
      'package main\n\n// NewNotifier(x)\nfunc f() {\n\ts := "NewNotifier(y)"\n\tn := NewNotifier(a, b)\n\t_ = n\n}\n',
      'package main\n\n// NewNotifier(x)\nfunc f() {\n\ts := "NewNotifier(y)"\n\tn := notifier.Create(a, b)\n\t_ = n\n}\n'],
    ['java', 'new Notifier($$$A)', 'Notifier.create($$$A)',
      'class A extends Notifier {\n  void f() {\n    String s = "new Notifier(x)"; // new Notifier(y)\n    Notifier n = new Notifier(a, b);\n  }\n}\n',
      'class A extends Notifier {\n  void f() {\n    String s = "new Notifier(x)"; // new Notifier(y)\n    Notifier n = Notifier.create(a, b);\n  }\n}\n'],
    ['rust', 'Notifier::new($$$A)', 'Notifier::for_user($$$A)',
      'struct Notifier;\nfn f() {\n    let s = "Notifier::new(x)"; // Notifier::new(y)\n    let n = Notifier::new(a, b);\n}\n',
      'struct Notifier;\nfn f() {\n    let s = "Notifier::new(x)"; // Notifier::new(y)\n    let n = Notifier::for_user(a, b);\n}\n'],
  ])('%s', (language, pattern, fix, source, expected) => {
    const codemod = new Codemod({ matcher: { language, pattern }, fix });
    const once = codemod.rewrite(source).text;
    expect(once).toBe(expected);
    expect(astGrepCli([{ language, pattern, fix }], source)).toBe(once);
    expect(codemod.rewrite(once).passes).toBe(0);
  });
});

describe('byte-identical to ast-grep\'s CLI, whose output is computed at test time', () => {
  it.each([
    // The template's `)` right after a multi-line capture that itself ends in `)`: `…)\n))`.
    ['a multi-line capture ending in `)` after a tuple argument', 'assert $A == $B', 'self.assertEqual($A, $B)', 'assert-tuple.py', 'assert-tuple.expected.py'],
    // The template's own line break follows the comment: no indentation-only line between.
    ['a $$$PRE capture ending in a comment line', 'def $F():\n    $$$PRE\n    return $X', 'def $F():\n    $$$PRE\n    print($X)', 'prefix-comment.py', 'prefix-comment.expected.py'],
  ])('%s', (_name, pattern, fix, input, expected) => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern }, fix };
    const once = new Codemod(spec).rewrite(fixture(input)).text;
    expect(once).toBe(fixture(expected));
    expect(once).toBe(cliAll([spec], fixture(input)));
    expect(new Codemod(spec).rewrite(once).passes).toBe(0);
  });
});

/**
 * Where the CLI's bytes are not the contract, and why: the CLI rewrites each match once (an inner
 * match inside an outer one waits for another run), writes a rebuilt call over the user's line
 * breaks and indentation, and lets a captured `# comment` swallow the template's `)` — code that
 * no longer parses. phasegate rewrites to a fixed point, keeps the formatting between tokens the
 * fix keeps, and never writes code that does not parse.
 */
describe('where phasegate differs from ast-grep\'s CLI on purpose', () => {
  it('a comment ending a capture: the CLI output does not parse, phasegate keeps the line break', () => {
    const spec = python[0];
    const source = 'spread = WebSocketNotifier(\n    emitter,  # who sends\n)\n';
    expect(cliAll([spec], source)).toBe('spread = WebSocketNotifier.create_for_user(emitter,  # who sends)\n');
    expect(new Codemod(spec).rewrite(source).text).toBe('spread = WebSocketNotifier.create_for_user(\n    emitter,  # who sends\n)\n');
  });
});

describe('fix templates', () => {
  it('fills metavariables in one pass: captured text containing $P or $$$X is never expanded again', () => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern: 'charge($A, $P)' }, fix: 'bill($P, $A)' };
    const result = new Codemod(spec).rewrite('charge("$P and $A", "$$$X")\n');
    expect(result.text).toBe('bill("$$$X", "$P and $A")\n');
    expect(cliAll([spec], 'charge("$P and $A", "$$$X")\n')).toBe(result.text);
  });

  it('a metavariable the match did not capture becomes empty, like ast-grep', () => {
    const spec: CodemodSpec = { matcher: { language: 'python', rule: { any: [{ pattern: 'old($A)' }, { pattern: 'old()' }] } }, fix: 'new($A)' };
    expect(new Codemod(spec).rewrite('old(1)\nold()\n').text).toBe('new(1)\nnew()\n');
  });

  it('keeps spacing and comments inside captured arguments when the whole call is rebuilt', () => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern: 'send($$$ARGS)' }, fix: 'await emit($$$ARGS)' };
    const source = 'async def f():\n    send(\n        event,   # what\n        payload,\n    )\n';
    expect(new Codemod(spec).rewrite(source).text).toBe('async def f():\n    await emit(\n        event,   # what\n        payload,\n    )\n');
  });

  it('indents the new lines of a multi-line fix like the line the match is on', () => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern: 'notify($A)' }, fix: 'with lock:\n    notify_locked($A)' };
    const source = 'def f():\n    notify(x)\n';
    expect(new Codemod(spec).rewrite(source).text).toBe('def f():\n    with lock:\n        notify_locked(x)\n');
    expect(cliAll([spec], source)).toBe('def f():\n    with lock:\n        notify_locked(x)\n');
  });
});

describe('nested and overlapping matches', () => {
  it('rewrites every level of nested matches whose edits overlap, to a fixed point', () => {
    // Swapping arguments rewrites each whole call: inner and outer edits overlap, so passes repeat.
    const spec: CodemodSpec = { matcher: { language: 'python', pattern: 'pair($A, $B)' }, fix: 'pair_of($B, $A)' };
    const result = new Codemod(spec).rewrite('x = pair(pair(1, 2), pair(3, pair(4, 5)))\n');
    expect(result.text).toBe('x = pair_of(pair_of(pair_of(5, 4), 3), pair_of(2, 1))\n');
    expect(new Codemod(spec).rewrite(result.text).passes).toBe(0);
  });

  it('rewrites an outer match created by rewriting an inner one', () => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern: 'unwrap($A.value)' }, fix: '$A.value' };
    expect(new Codemod(spec).rewrite('y = unwrap(unwrap(box.value).value)\n').text).toBe('y = box.value.value\n');
    // The outer call's argument is a call, not `….value`, until the inner one is rewritten.
    expect(new Codemod(spec).rewrite('y = unwrap(unwrap(box.value))\n').text).toBe('y = box.value\n');
  });

  it('a fix whose output matches its own pattern again fails with a clear message instead of looping', () => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern: '$A + $B' }, fix: '$B + $A' };
    expect(() => new Codemod(spec).rewrite('total = 1\ntotal = a + b\n')).toThrow(FixLoopError);
    expect(() => new Codemod(spec).rewrite('total = 1\ntotal = a + b\n')).toThrow(/keeps matching its own pattern: still rewriting line 2 after 16 passes/);
    // Deep nesting is not a loop: every level is rewritten.
    const deep = `x = ${'pair('.repeat(12)}0, 1${'), 1'.repeat(11)})\n`;
    const swap: CodemodSpec = { matcher: { language: 'python', pattern: 'pair($A, $B)' }, fix: 'pair_of($B, $A)' };
    expect(new Codemod(swap).rewrite(deep).text).not.toContain('pair(');
    const growing: CodemodSpec = { matcher: { language: 'python', pattern: 'wrap($A)' }, fix: 'wrap(wrap($A))' };
    expect(() => new Codemod(growing).rewrite('wrap(x)\n')).toThrow(FixLoopError);
  });
});

describe('files that do not parse', () => {
  const spec: CodemodSpec = { matcher: { language: 'python', pattern: 'WebSocketNotifier($$$ARGS)' }, fix: 'WebSocketNotifier.create_for_user($$$ARGS)' };

  it('are left alone: after an unterminated string, a "call" may be text', () => {
    const source = 'x = """unterminated\ny = WebSocketNotifier(c)\n';
    expect(new Codemod(spec).rewrite(source)).toEqual({ text: source, passes: 0, unparsedLine: 1 });
  });

  it('a fix that breaks the syntax of a parsing file is an error, not a commit', () => {
    const broken: CodemodSpec = { matcher: { language: 'python', pattern: 'notify($A)' }, fix: 'notify($A' };
    expect(() => new Codemod(broken).rewrite('a = 1\nnotify(x)\n')).toThrow(FixSyntaxError);
    expect(() => new Codemod(broken).rewrite('a = 1\nnotify(x)\n')).toThrow(/the fix produces code that does not parse as python \(line 2\)/);
  });
});

describe('strictness', () => {
  it('cst keeps an assert message from being silently matched and dropped', () => {
    const source = 'assert ready\nassert ready, "must be ready"\n';
    const smart: CodemodSpec = { matcher: { language: 'python', pattern: 'assert $A' }, fix: 'check($A)' };
    const cst: CodemodSpec = { matcher: { language: 'python', pattern: 'assert $A', strictness: 'cst' }, fix: 'check($A)' };
    expect(new Codemod(smart).rewrite(source).text).toBe('check(ready)\ncheck(ready)\n');
    expect(new Codemod(cst).rewrite(source).text).toBe('check(ready)\nassert ready, "must be ready"\n');
  });
});
