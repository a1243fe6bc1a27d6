import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { expectPlanRefused } from './helpers/bad-plan.js';
import { makeRepo } from './helpers/repo.js';
import { onePhasePlan } from './helpers/plan-yaml.js';

/**
 * Structural steps and checks are validated before anything runs: a pattern that does not parse
 * in its language, a rule ast-grep refuses, an unknown language or a fix using a metavariable
 * nothing captures is refused with exit 2 and `file:line:col: key.path: message`, together with
 * any other problem of the plan.
 */
const phase = (body: string) => onePhasePlan('demo', body);

const cases: { name: string; plan: string; expect: string[] }[] = [
  {
    name: 'codemod pattern that does not parse',
    plan: phase("    transform:\n      - codemod: 'WebSocketNotifier('\n        fix: 'WebSocketNotifier.create_for_user()'\n        language: python\n"),
    expect: ['plans/bad.yaml:6:18: phases[0].transform[0].codemod: pattern does not parse as python: unexpected `WebSocketNotifier(`'],
  },
  {
    name: 'codemod with an unknown language',
    plan: phase("    transform:\n      - codemod: 'foo($A)'\n        fix: 'bar($A)'\n        language: cobol\n"),
    expect: ["plans/bad.yaml:8:19: phases[0].transform[0].language: unknown language 'cobol' (one of: javascript, typescript, tsx, html, css, python, go, java, rust)"],
  },
  {
    name: 'structural check with an unknown language',
    plan: phase("    validate:\n      - forbid: {pattern: 'foo($A)', language: klingon}\n"),
    expect: ["plans/bad.yaml:6:48: phases[0].validate[0].forbid.language: unknown language 'klingon'"],
  },
  {
    name: 'structural check pattern that does not parse',
    plan: phase("    validate:\n      - count: {pattern: 'foo(<', language: typescript}\n        max: 0\n"),
    expect: ['plans/bad.yaml:6:26: phases[0].validate[0].count.pattern: pattern does not parse as typescript'],
  },
  {
    name: 'rule with an unknown kind',
    plan: phase('    transform:\n      - codemod:\n          rule: {kind: function_call}\n        fix: x\n        language: python\n'),
    expect: ['plans/bad.yaml:7:17: phases[0].transform[0].codemod.rule: ast-grep rejects it: Rule contains invalid kind matcher: Invalid Kind: Kind `function_call` is invalid'],
  },
  {
    name: 'rule pattern that does not parse, deep in the rule',
    plan: phase("    validate:\n      - require:\n          rule: {kind: call, has: {pattern: 'emit(('}}\n          language: python\n"),
    expect: ['plans/bad.yaml:7:45: phases[0].validate[0].require.rule.has.pattern: pattern does not parse as python'],
  },
  {
    name: 'fix using a metavariable the pattern does not capture',
    plan: phase("    transform:\n      - codemod: 'notify($A)'\n        fix: 'notify_user($USER, $A)'\n        language: python\n"),
    expect: ['plans/bad.yaml:7:14: phases[0].transform[0].fix: uses $USER, which the pattern does not capture (it captures $A)'],
  },
  {
    name: 'pattern and rule together',
    plan: phase("    validate:\n      - forbid: {pattern: 'a()', rule: {kind: call}, language: python}\n"),
    expect: ["plans/bad.yaml:6:17: phases[0].validate[0].forbid: needs exactly one of 'pattern' or 'rule'"],
  },
  {
    name: 'pattern problems reported together with schema problems',
    plan: phase("    transform:\n      - codemod: 'a(('\n        fix: 'b()'\n        language: python\n    validate:\n      - run: 'true'\n        timeout: soon\n"),
    expect: [
      'plans/bad.yaml:6:18: phases[0].transform[0].codemod: pattern does not parse as python',
      'plans/bad.yaml:11:18: phases[0].validate[0].timeout: is not a duration',
    ],
  },
];

describe('a bad structural step or check is refused with file:line:col, touching nothing', () => {
  it.each(cases)('$name', async ({ plan, expect: expected }) => {
    await expectPlanRefused(plan, expected);
  });

  it('accepts good patterns, rules and languages in every form', async () => {
    const repo = makeRepo({
      'a.py': 'print(1)\n',
      'plans/good.yaml': `version: 1
name: good
phases:
  - id: one
    transform:
      - codemod: 'WebSocketNotifier($$$ARGS)'
        fix: 'WebSocketNotifier.create_for_user($$$ARGS)'
        language: py
        strictness: cst
      - codemod:
          rule: {pattern: {context: "class A:\\n  x = $V", selector: assignment}}
          constraints: {V: {kind: integer}}
        fix: 'x = int($V)'
        language: python
    validate:
      - forbid: {pattern: 'foo<$T>($$$A)', language: ts}
      - forbid: {pattern: 'notifier.New($$$A)', language: golang}
      - forbid: {pattern: 'new Notifier($$$A)', language: java}
      - forbid: {pattern: 'Notifier::new($$$A)', language: rs}
      - count: {rule: {kind: class_definition}, language: python, strictness: relaxed}
        max: 3
`,
    });
    const result = await phasegate(['check', 'good'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
  });
});
