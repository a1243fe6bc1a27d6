import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';

/**
 * `codemod` steps and structural checks through the built CLI, on real repositories: the rewrite
 * is committed and tagged like any phase, a structural `forbid` that fails reverts the phase with
 * `file:line` in the output, and a fix whose output still matches its pattern rewrites each match once.
 */
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/codemod');
const fixture = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

const codemodStep = `      - codemod: 'WebSocketNotifier($$$ARGS)'
        fix: 'WebSocketNotifier.create_for_user($$$ARGS)'
        language: python
`;

describe('codemod in a plan', () => {
  it('rewrites the real calls of a Python repository, commits, tags, and a second run changes nothing', async () => {
    const repo = makeRepo({
      'app/notifier.py': fixture('notifier.py'),
      'app/untouched.py': 'print("no notifier here")\n',
      'app/broken.py': 'doc = """never closed\nWebSocketNotifier(emitter, ctx)\n',
      'README.md': 'Call `WebSocketNotifier(emitter, ctx)` to get one.\n',
      'plans/factory.yaml': `version: 1
name: factory
files: ["**/*"]
phases:
  - id: factory
    title: Factory pattern enforcement
    transform:
${codemodStep}    validate:
      - forbid: {pattern: 'WebSocketNotifier($$$A)', language: python}
        name: no direct instantiation
        files: ['**/*.py', '!app/broken.py']   # checks do report tree-sitter's best guess in broken files
      - count: {rule: {kind: class_definition, has: {field: name, regex: '^WebSocketNotifier$'}}, language: python}
        max: 1
      - require: {pattern: 'WebSocketNotifier.create_for_user($$$A)', language: python}
  - id: again
    title: The same codemod over its own output
    transform:
${codemodStep}`,
    });
    const result = await phasegate(['run', 'factory', '--yes', '--report', 'report.json'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.tags()).toEqual(['phasegate/factory/again', 'phasegate/factory/base', 'phasegate/factory/factory']);
    expect(repo.read('app/notifier.py')).toBe(fixture('notifier.expected.py'));
    // Prose is not Python: without its own `files`, a python codemod only parses .py files.
    expect(repo.read('README.md')).toBe('Call `WebSocketNotifier(emitter, ctx)` to get one.\n');
    expect(repo.git('show', '--stat', '--format=%s', 'phasegate/factory/factory')).toContain('app/notifier.py');
    expect(repo.git('status', '--porcelain')).toBe('report.json\n'.replace(/^/, '?? '));

    const report = JSON.parse(repo.read('report.json'));
    const [factory, again] = report.phases;
    expect(factory.steps[0]).toMatchObject({ kind: 'codemod', filesChanged: 2, changedFiles: ['app/broken.py', 'app/notifier.py'] });
    // A file with syntax errors is rewritten as ast-grep's CLI rewrites it (the checks above exclude it).
    expect(repo.read('app/broken.py')).toBe('doc = """never closed\nWebSocketNotifier.create_for_user(emitter, ctx)\n');
    expect(factory.checks.map((check: { passed: boolean }) => check.passed)).toEqual([true, true, true]);
    // Eight calls on seven lines (the nested pair shares one): matching lines are counted.
    expect(factory.checks[0].details).toMatchObject({ before: 7, after: 0 });
    expect(again.steps[0]).toMatchObject({ kind: 'codemod', filesChanged: 0, changedNothing: true });
  });

  it('reverts the phase when a structural forbid still matches, listing file:line', async () => {
    const original = fixture('notifier.py');
    const repo = makeRepo({
      'app/notifier.py': original,
      'plans/partial.yaml': `version: 1
name: partial
phases:
  - id: two-args
    transform:
      - codemod: 'WebSocketNotifier($A, $B)'
        fix: 'WebSocketNotifier.create_for_user($A, $B)'
        language: python
    validate:
      - forbid: {pattern: 'WebSocketNotifier($$$A)', language: python}
`,
    });
    const start = repo.head();
    const result = await phasegate(['run', 'partial', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    // `$A, $B` takes exactly two arguments (a keyword argument is one): the one-argument decorator is left
    // (on line 29 of the rewritten file: the CLI writes the four-line call `spread = …(` on one line).
    expect(result.all).toContain('app/notifier.py:29: @WebSocketNotifier(emitter=None)');
    expect(result.all).toContain('1 matching line (forbidden)');
    expect(repo.read('app/notifier.py')).toBe(original);
    expect(repo.head()).toBe(start);
    expect(repo.tags()).toEqual(['phasegate/partial/base']);
    expect(repo.refs()).toContain('refs/phasegate/partial/failed/two-args');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('rewrites each match once when the fix\'s output still matches its own pattern, as ast-grep run -U does', async () => {
    const repo = makeRepo({
      'app.py': 'log.info("a")\nlog.info("b", 1)\n',
      'calc.py': 'total = 1\ntotal = price + tax\n',
      'plans/kwarg.yaml': "version: 1\nname: kwarg\nphases:\n  - id: kwarg\n    transform:\n      - codemod: 'log.info($$$A)'\n        fix: 'log.info($$$A, extra=ctx)'\n        language: python\n      - codemod: '$A + $B'\n        fix: '$B + $A'\n        language: python\n",
    });
    const result = await phasegate(['run', 'kwarg', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.read('app.py')).toBe('log.info("a", extra=ctx)\nlog.info("b", 1, extra=ctx)\n');
    expect(repo.read('calc.py')).toBe('total = 1\ntotal = tax + price\n');
    expect(repo.tags()).toEqual(['phasegate/kwarg/base', 'phasegate/kwarg/kwarg']);
  });

  it('never changes the value of a multi-line string literal among the rewritten arguments', async () => {
    const engine = 'class Engine:\n    def make(self, emitter, ctx):\n        notifier = WebSocketNotifier(\n            emitter,  # the emitter\n            ctx,\n'
      + '            banner="""first\n    indented four\ndone""",\n            footer=f"""{ctx}\n  last""",\n            doc=\'one \\\n    two\',\n        )\n        return notifier\n';
    const repo = makeRepo({ 'a.py': engine, 'plans/p.yaml': `version: 1\nname: p\nphases:\n  - id: factory\n    transform:\n${codemodStep}` });
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.read('a.py')).toContain('WebSocketNotifier.create_for_user(emitter,');
    // Python's own reading of the file: every string constant (the f-string's parts too) as before.
    const strings = (text: string) => execFileSync('python3', ['-c', 'import ast,sys,json;print(json.dumps([n.value for n in ast.walk(ast.parse(sys.stdin.read())) if isinstance(n,ast.Constant) and isinstance(n.value,str)]))'],
      { input: text, encoding: 'utf8' });
    expect(JSON.parse(strings(repo.read('a.py')))).toEqual(JSON.parse(strings(engine)));
    expect(JSON.parse(strings(engine))).toEqual(['first\n    indented four\ndone', 'one     two', '\n  last']);
  });

  it('gives the same result with files parsed off the main thread, two at a time, as on it', async () => {
    // Enough matching files that parses overlap (PHASEGATE_PARSE_WORKERS: parses in flight; 0: on this thread).
    const files: Record<string, string> = {};
    const body = (index: number) => Array.from({ length: 60 }, (_, line) =>
      line % 6 === 0 ? `n${line} = WebSocketNotifier(emitter_${index}, ctx)  # WebSocketNotifier(x)\n` : `value_${line} = compute("WebSocketNotifier(${line})", ${line})\n`).join('');
    for (let index = 0; index < 160; index++) files[`pkg/mod_${index}.py`] = body(index);
    files['pkg/plain.py'] = 'print(1)\n';
    files['plans/many.yaml'] = `version: 1\nname: many\nphases:\n  - id: many\n    transform:\n${codemodStep}    validate:\n      - count: {pattern: 'WebSocketNotifier.create_for_user($$$A)', language: python}\n        min: 1600\n        max: 1600\n`;
    const results: string[] = [];
    for (const workers of ['2', '0']) {
      const repo = makeRepo(files);
      const result = await phasegate(['run', 'many', '--yes'], { cwd: repo.dir, env: { PHASEGATE_PARSE_WORKERS: workers } });
      expect(result.exitCode, result.all).toBe(0);
      expect(result.all).toContain('160 files changed');
      results.push(repo.git('rev-parse', 'HEAD^{tree}'));
      expect(repo.read('pkg/mod_7.py').split('\n')[0]).toBe('n0 = WebSocketNotifier.create_for_user(emitter_7, ctx)  # WebSocketNotifier(x)');
    }
    expect(results[0]).toBe(results[1]);
  });
});
