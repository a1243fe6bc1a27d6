import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CodemodSpec } from '../src/structural/cli-rewrite.js';
import { astGrepCli, type CliSpec } from './helpers/ast-grep-cli.js';
import { codemodAll, codemodText } from './helpers/codemod-rewrite.js';

/**
 * The codemod engine on a corpus of tricky inputs. The contract is ast-grep's CLI: every file comes
 * out as `ast-grep run -U` writes it, byte for byte, computed here at test time — except where that
 * would change the program (a swallowed line comment, the lines of a multi-line string literal;
 * both have their own cases below, stated as the CLI's output with that one part changed). Each match is
 * rewritten once. Where matches nest, the CLI rewrites one level a run; phasegate rewrites them all,
 * innermost first, so the expectation is the CLI run until stable (or, for a fix whose output still
 * matches its pattern, the CLI told to rewrite the inner match first). Never touched: class definitions,
 * base-class lists, strings, comments, the text of f-strings/template strings.
 */
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/codemod');
const fixture = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

function cliSpecs(specs: readonly CodemodSpec[]): CliSpec[] {
  return specs.map(({ matcher, fix }) => (matcher.pattern !== undefined
    ? { language: matcher.language, pattern: matcher.pattern, fix }
    : { language: matcher.language, rule: { rule: matcher.rule, ...(matcher.constraints ? { constraints: matcher.constraints } : {}) }, fix }));
}
const cliOnce = (specs: readonly CodemodSpec[], text: string) => astGrepCli(cliSpecs(specs), text);
const cliUntilStable = (specs: readonly CodemodSpec[], text: string) => astGrepCli(cliSpecs(specs), text, { untilStable: true });

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

describe('codemod corpus: the CLI\'s bytes, only real calls change, a second run changes nothing', () => {
  it.each([
    ['python, pattern form', python, 'notifier.py', 'notifier.expected.py'],
    ['typescript, plain and generic calls', typescript, 'notifier.ts', 'notifier.expected.ts'],
  ] as const)('%s', async (_name, specs, input, expected) => {
    const once = await codemodAll([...specs], fixture(input));
    expect(once).toBe(cliUntilStable(specs, fixture(input)));
    // The fixture shows what that is (and that strings, comments and class bases are untouched).
    expect(once).toBe(fixture(expected));
    for (const spec of specs) expect((await codemodText(spec, once)).changed).toBe(false);
  });

  it('typescript, a rule that rewrites only the callee identifier (decorators and generics included)', async () => {
    const once = await codemodAll(typescriptRule, fixture('notifier.ts'));
    expect(once).toBe(cliUntilStable(typescriptRule, fixture('notifier.ts')));
    // The decorator `@Notifier({…})` is a call_expression inside a decorator: its callee changes too.
    expect(once).toContain('@Notifier.create({ channel: \'x\' })');
    expect(once).toContain('class Child extends Notifier<User> implements Notifier {}');
    expect((await codemodText(typescriptRule[0], once)).changed).toBe(false);
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
  ])('%s', async (language, pattern, fix, source, expected) => {
    const spec: CodemodSpec = { matcher: { language, pattern }, fix };
    const once = await codemodText(spec, source);
    expect(once.text).toBe(expected);
    expect(once.text).toBe(cliOnce([spec], source));
    expect((await codemodText(spec, once.text)).changed).toBe(false);
  });
});

describe('byte-identical to ast-grep\'s CLI where phasegate used to keep its own formatting (issue 15)', () => {
  it.each([
    // The template's `)` right after a multi-line capture that itself ends in `)`: `…)\n))`.
    ['a multi-line capture ending in `)` after a tuple argument', 'assert $A == $B', 'self.assertEqual($A, $B)', 'assert-tuple.py'],
    // The template's own line break follows the comment: no indentation-only line between.
    ['a $$$PRE capture ending in a comment line', 'def $F():\n    $$$PRE\n    return $X', 'def $F():\n    $$$PRE\n    print($X)', 'prefix-comment.py'],
    // A rebuilt multi-line call: the CLI re-indents the captured arguments.
    ['a multi-line call rebuilt from its arguments', 'send($$$ARGS)', 'await emit($$$ARGS)', 'rebuilt-call.py'],
  ])('%s', async (_name, pattern, fix, input) => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern }, fix };
    const once = await codemodText(spec, fixture(input));
    expect(once.changed).toBe(true);
    expect(once.text).toBe(cliOnce([spec], fixture(input)));
  });

  it('the issue\'s two cases come out as the CLI wrote them when the issue was filed', async () => {
    const tuple: CodemodSpec = { matcher: { language: 'python', pattern: 'assert $A == $B' }, fix: 'self.assertEqual($A, $B)' };
    expect((await codemodText(tuple, fixture('assert-tuple.py'))).text).toBe(fixture('assert-tuple.expected.py'));
    const prefix: CodemodSpec = { matcher: { language: 'python', pattern: 'def $F():\n    $$$PRE\n    return $X' }, fix: 'def $F():\n    $$$PRE\n    print($X)' };
    expect((await codemodText(prefix, fixture('prefix-comment.py'))).text).toBe(fixture('prefix-comment.expected.py'));
  });
});

describe('the other place the bytes differ from the CLI: lines inside a multi-line string literal are kept as written', () => {
  // The CLI re-indents every line of a multi-line capture, the lines inside a string literal too:
  // that changes the literal's value. phasegate keeps those lines as they are in the source; the
  // rest of the replacement (the argument lines' layout) is the CLI's, byte for byte.
  const engine = (eol: string) => ['class Engine:', '    def make(self, emitter, ctx):', '        notifier = WebSocketNotifier(', '            emitter,  # the emitter',
    '            ctx,', '            banner="""first', '    indented four', 'done""",', '        )', '        return notifier', ''].join(eol);
  const rust: CodemodSpec = { matcher: { language: 'rust', pattern: 'Notifier::new($$$A)' }, fix: 'Notifier::for_user($$$A)' };
  it.each([
    ['python, a triple-quoted string (the audit\'s repro)', python[0], engine('\n'),
      '"""first\n            indented four\n        done"""', '"""first\n    indented four\ndone"""',
      'class Engine:\n    def make(self, emitter, ctx):\n        notifier = WebSocketNotifier.create_for_user(emitter,  # the emitter\n        ctx,\n        banner="""first\n    indented four\ndone""",)\n        return notifier\n'],
    ['python, the same with CRLF line ends', python[0], engine('\r\n'),
      '"""first\r\n            indented four\r\n        done"""', '"""first\r\n    indented four\r\ndone"""',
      'class Engine:\r\n    def make(self, emitter, ctx):\r\n        notifier = WebSocketNotifier.create_for_user(emitter,  # the emitter\r\n        ctx,\r\n        banner="""first\r\n    indented four\r\ndone""",)\r\n        return notifier\r\n'],
    ['typescript, a template literal', typescript[0],
      'class Engine {\n  make(emitter: E, ctx: C) {\n    const notifier = Notifier(\n      emitter,\n      `first\n    indented four\ndone ${ctx}`,\n    );\n    return notifier;\n  }\n}\n',
      '`first\n        indented four\n    done ${ctx}`', '`first\n    indented four\ndone ${ctx}`',
      'class Engine {\n  make(emitter: E, ctx: C) {\n    const notifier = Notifier.create(emitter,\n    `first\n    indented four\ndone ${ctx}`,);\n    return notifier;\n  }\n}\n'],
    ['rust, a raw string', rust,
      'fn f() {\n    let n = Notifier::new(\n        a,\n        r#"first\n    indented\ndone"#,\n    );\n}\n',
      'r#"first\n        indented\n    done"#', 'r#"first\n    indented\ndone"#',
      'fn f() {\n    let n = Notifier::for_user(a,\n    r#"first\n    indented\ndone"#,);\n}\n'],
  ] as const)('%s', async (_name, spec, source, cliLiteral, sourceLiteral, expected) => {
    const cli = cliOnce([spec], source);
    // What the CLI writes: the literal's lines re-indented (its value changed).
    expect(cli).toContain(cliLiteral);
    const once = await codemodText(spec, source);
    expect(once.text).toBe(cli.replace(cliLiteral, sourceLiteral));
    expect(once.text).toBe(expected);
    expect((await codemodText(spec, once.text)).changed).toBe(false);
  });

  it('a multi-line call whose strings each sit on one line is the CLI\'s, byte for byte', async () => {
    const source = 'def f():\n    n = WebSocketNotifier(\n        "a\'s",  # it\'s "quoted"\n        \'b\',\n        """c""",\n    )\n';
    const once = await codemodText(python[0], source);
    expect(once.changed).toBe(true);
    expect(once.text).toBe(cliOnce(python, source));
  });

  it('a docstring in a captured body keeps its lines; the code around it is re-indented as the CLI does', async () => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern: 'class $C:\n    $$$BODY' }, fix: 'if True:\n    class $C:\n        $$$BODY' };
    const source = 'class A:\n    """Doc\n    more doc\n    """\n    x = 1\n';
    const cli = cliOnce([spec], source);
    expect(cli).not.toContain('"""Doc\n    more doc\n    """');
    expect((await codemodText(spec, source)).text).toBe(cli.replace(/"""Doc\n[ \t]*more doc\n[ \t]*"""/, '"""Doc\n    more doc\n    """'));
  });
});

describe('where the CLI\'s output does not parse, phasegate never writes it', () => {
  it('a capture ending in a `# comment` swallows the template\'s `)`: the comment gets its line break back', async () => {
    const source = 'def f():\n    spread = WebSocketNotifier(\n        emitter,  # who sends\n    )\n    return spread\n';
    expect(cliOnce(python, source)).toBe('def f():\n    spread = WebSocketNotifier.create_for_user(emitter,  # who sends)\n    return spread\n');
    expect((await codemodText(python[0], source)).text).toBe('def f():\n    spread = WebSocketNotifier.create_for_user(emitter,  # who sends\n    )\n    return spread\n');
  });

  it('a fix that breaks the syntax of a parsing file is an error, not a commit', async () => {
    const broken: CodemodSpec = { matcher: { language: 'python', pattern: 'notify($A)' }, fix: 'notify($A' };
    await expect(codemodText(broken, 'a = 1\nnotify(x)\n')).rejects.toThrow(/input\.py:2: the fix produces code that does not parse as python \(line 2\)/);
  });
});

describe('fix templates', () => {
  it('fills metavariables in one pass: captured text containing $P or $$$X is never expanded again', async () => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern: 'charge($A, $P)' }, fix: 'bill($P, $A)' };
    const source = 'charge("$P and $A", "$$$X")\n';
    expect((await codemodText(spec, source)).text).toBe('bill("$$$X", "$P and $A")\n');
    expect(cliOnce([spec], source)).toBe('bill("$$$X", "$P and $A")\n');
  });

  it('a metavariable the match did not capture becomes empty, like ast-grep', async () => {
    const spec: CodemodSpec = { matcher: { language: 'python', rule: { any: [{ pattern: 'old($A)' }, { pattern: 'old()' }] } }, fix: 'new($A)' };
    expect((await codemodText(spec, 'old(1)\nold()\n')).text).toBe('new(1)\nnew()\n');
    expect(cliOnce([spec], 'old(1)\nold()\n')).toBe('new(1)\nnew()\n');
  });

  it('indents the new lines of a multi-line fix like the line the match is on', async () => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern: 'notify($A)' }, fix: 'with lock:\n    notify_locked($A)' };
    const source = 'def f():\n    notify(x)\n';
    expect((await codemodText(spec, source)).text).toBe('def f():\n    with lock:\n        notify_locked(x)\n');
    expect(cliOnce([spec], source)).toBe('def f():\n    with lock:\n        notify_locked(x)\n');
  });

  it('a rule with constraints runs as the CLI runs it', async () => {
    const spec: CodemodSpec = { matcher: { language: 'python', rule: { pattern: 'log($A)' }, constraints: { A: { kind: 'string' } } }, fix: 'logger.info($A)' };
    const source = 'log("x")\nlog(x)\n';
    const once = await codemodText(spec, source);
    expect(once.text).toBe('logger.info("x")\nlog(x)\n');
    expect(once.text).toBe(cliOnce([spec], source));
  });
});

describe('nested and overlapping matches: the CLI again on the files it could not finish', () => {
  it('rewrites every level of nested matches whose edits overlap, to a fixed point', async () => {
    // Swapping arguments rewrites each whole call: inner and outer edits overlap, so passes repeat.
    const spec: CodemodSpec = { matcher: { language: 'python', pattern: 'pair($A, $B)' }, fix: 'pair_of($B, $A)' };
    const source = 'x = pair(pair(1, 2), pair(3, pair(4, 5)))\n';
    const once = await codemodText(spec, source);
    expect(once.text).toBe('x = pair_of(pair_of(pair_of(5, 4), 3), pair_of(2, 1))\n');
    expect(once.text).toBe(cliUntilStable([spec], source));
    // One CLI run leaves the inner calls.
    expect(cliOnce([spec], source)).not.toBe(once.text);
  });

  it('rewrites an outer match created by rewriting an inner one', async () => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern: 'unwrap($A.value)' }, fix: '$A.value' };
    expect((await codemodText(spec, 'y = unwrap(unwrap(box.value).value)\n')).text).toBe('y = box.value.value\n');
    // The outer call's argument is a call, not `….value`, until the inner one is rewritten.
    expect((await codemodText(spec, 'y = unwrap(unwrap(box.value))\n')).text).toBe('y = box.value\n');
    expect(cliUntilStable([spec], 'y = unwrap(unwrap(box.value))\n')).toBe('y = box.value\n');
  });

  it('rewrites every level of a deep nesting', async () => {
    const deep = `x = ${'pair('.repeat(12)}0, 1${'), 1'.repeat(11)})\n`;
    const swap: CodemodSpec = { matcher: { language: 'python', pattern: 'pair($A, $B)' }, fix: 'pair_of($B, $A)' };
    const once = await codemodText(swap, deep);
    expect(once.text).not.toContain('pair(');
    expect(once.text).toBe(cliUntilStable([swap], deep));
  });
});

describe('a fix whose output still matches its own pattern: each match rewritten once, as `ast-grep run -U` does', () => {
  it.each([
    ['adding an argument', 'log.info($$$A)', 'log.info($$$A, extra=ctx)', 'log.info("a")\nlog.info("b", 1)\n', 'log.info("a", extra=ctx)\nlog.info("b", 1, extra=ctx)\n'],
    ['wrapping a call', 'open($P)', 'safe(open($P))', 'f = open("x")\n', 'f = safe(open("x"))\n'],
    ['swapping operands', '$A + $B', '$B + $A', 'total = 1\ntotal = a + b\n', 'total = 1\ntotal = b + a\n'],
    ['a fix that grows its own match', 'wrap($A)', 'wrap(wrap($A))', 'wrap(x)\n', 'wrap(wrap(x))\n'],
  ])('%s', async (_name, pattern, fix, source, expected) => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern }, fix };
    const once = await codemodText(spec, source);
    expect(once.text).toBe(cliOnce([spec], source));
    expect(once.text).toBe(expected);
  });

  it.each([
    ['adding an argument', 'log.info($$$A)', 'log.info($$$A, extra=ctx)', 'log.info(log.info("a"))\n', 'log.info(log.info("a", extra=ctx), extra=ctx)\n'],
    ['wrapping a call', 'open($P)', 'safe(open($P))', 'f = open(open("x"))\n', 'f = safe(open(safe(open("x"))))\n'],
    ['swapping operands', '$A + $B', '$B + $A', 'x = a + b + c\n', 'x = c + b + a\n'],
  ])('nested, %s: the inner match and the outer one, each once', async (_name, pattern, fix, source, expected) => {
    const spec: CodemodSpec = { matcher: { language: 'python', pattern }, fix };
    const once = await codemodText(spec, source);
    expect(once.text).toBe(expected);
    // The CLI told to rewrite the inner match first (one that holds no other), then run as usual:
    // the outer one is rewritten with the inner one's rewrite inside it, the inner one left alone.
    // (The inner pattern's metavariables renamed: one name in both would ask for the same text.)
    const inner = pattern.replace(/(\$+)([A-Z_][A-Z0-9_]*)/g, '$1INNER_$2');
    const innermost: CodemodSpec = { matcher: { language: 'python', rule: { pattern, not: { has: { pattern: inner, stopBy: 'end' } } } }, fix };
    expect(once.text).toBe(cliOnce([innermost, spec], source));
  });
});

describe('files that do not parse', () => {
  it('are rewritten as the CLI rewrites them (finding them in the same CLI run cost ~25% more CPU)', async () => {
    const source = 'x = """unterminated\ny = WebSocketNotifier(c)\n';
    const once = await codemodText(python[0], source);
    expect(once.text).toBe(cliOnce(python, source));
    expect(once.text).toBe('x = """unterminated\ny = WebSocketNotifier.create_for_user(c)\n');
  });
});

describe('strictness', () => {
  it('cst keeps an assert message from being silently matched and dropped', async () => {
    const source = 'assert ready\nassert ready, "must be ready"\n';
    const smart: CodemodSpec = { matcher: { language: 'python', pattern: 'assert $A' }, fix: 'check($A)' };
    const cst: CodemodSpec = { matcher: { language: 'python', pattern: 'assert $A', strictness: 'cst' }, fix: 'check($A)' };
    expect((await codemodText(smart, source)).text).toBe('check(ready)\ncheck(ready)\n');
    expect((await codemodText(cst, source)).text).toBe('check(ready)\nassert ready, "must be ready"\n');
  });
});
