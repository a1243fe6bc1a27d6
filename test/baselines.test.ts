import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo, type TestRepo } from './helpers/repo.js';

/**
 * Baselines: a repository whose tests were not green before the migration. A `run` check with
 * `junit:` fails only on new failures; a `count` with `ratchet: true` must not rise.
 */

// A stand-in test runner: results.txt says which tests pass; it writes JUnit XML and, like a real
// runner, exits 1 when any test fails.
const runner = `import sys
cases = [line.strip().split('=') for line in open('results.txt') if '=' in line]
with open('reports/junit.xml', 'w') as out:
    out.write('<?xml version="1.0"?>\\n<testsuites><testsuite name="shop">\\n')
    for name, result in cases:
        body = '<failure message="boom">trace &lt;x&gt;</failure>' if result == 'fail' else ''
        out.write(f'<testcase classname="tests.shop" name="{name}" time="0.01">{body}</testcase>\\n')
    out.write('</testsuite></testsuites>\\n')
sys.exit(1 if any(result == 'fail' for _, result in cases) else 0)
`;

const plan = `version: 1
name: tests
phases:
  - id: rename
    transform:
      - replace: 'old_name'
        with: 'new_name'
        files: code.txt
    validate:
      - run: python3 runtests.py
        junit: reports/junit.xml
  - id: breaks
    transform:
      - replace: 'test_b=pass'
        with: 'test_b=fail'
        files: results.txt
    validate:
      - run: python3 runtests.py
        junit: reports/junit.xml
`;

function testRepo(): TestRepo {
  return makeRepo({
    'runtests.py': runner,
    'results.txt': 'test_a=fail\ntest_b=pass\ntest_c=pass\n',
    'code.txt': 'old_name\n',
    'reports/.keep': '',
    '.gitignore': 'reports/junit.xml\n',
    'plans/tests.yaml': plan,
  });
}

function tagRecord(repo: TestRepo, tag: string): Record<string, unknown> {
  const message = repo.git('tag', '-l', '--format=%(contents)', tag);
  return JSON.parse(message.slice(message.indexOf('{')));
}

describe('baselines', () => {
  it('a JUnit baseline lets a phase pass with a test that was already failing, and fails the phase that breaks a second one', async () => {
    const repo = testRepo();
    const result = await phasegate(['run', 'tests', '--yes', '--report', '../report.json'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain('failing before: 1, now: 1, new: 0');
    expect(result.all).toContain('failing before: 1, now: 2, new: 1 (tests.shop.test_b)');
    expect(repo.tags()).toEqual(expect.arrayContaining(['phasegate/tests/base', 'phasegate/tests/rename']));
    expect(repo.tags()).not.toContain('phasegate/tests/breaks');
    // Recorded with the tags, so that later commands judge with the same baseline.
    const base = tagRecord(repo, 'phasegate/tests/base') as { baselines: { junit: Record<string, { failing: string[]; tests: string[] }> } };
    expect(base.baselines.junit['rename#0']).toMatchObject({ failing: ['tests.shop.test_a'], tests: ['tests.shop.test_a', 'tests.shop.test_b', 'tests.shop.test_c'] });
    expect(base.baselines.junit['breaks#0'].failing).toEqual(['tests.shop.test_a']);
    const phase = tagRecord(repo, 'phasegate/tests/rename') as { baselines: { junit: Record<string, { failing: string[] }> } };
    expect(phase.baselines.junit['rename#0'].failing).toEqual(['tests.shop.test_a']);
    // The run left nothing behind: the baseline's report is ignored and the tree is the checkpoint.
    expect(repo.git('status', '--porcelain')).toBe('');
    const status = await phasegate(['status', 'tests'], { cwd: repo.dir });
    expect(status.stdout).toContain('baseline rename#0 reports/junit.xml: 1 of 3 test(s) failing at base');

    // verify judges with the recorded baseline: still only test_a failing holds; a new failure does not.
    const holds = await phasegate(['verify', 'tests'], { cwd: repo.dir });
    expect(holds.exitCode, holds.all).toBe(0);
    expect(holds.stdout).toContain('failing before: 1, now: 1, new: 0');
    repo.write('results.txt', 'test_a=fail\ntest_b=pass\ntest_c=fail\n');
    repo.commitAll('breaks test_c');
    const broken = await phasegate(['verify', 'tests'], { cwd: repo.dir });
    expect(broken.exitCode, broken.all).toBe(1);
    expect(broken.stdout).toContain('failing before: 1, now: 2, new: 1 (tests.shop.test_c)');
  });

  it('a test that disappears counts as a new failure unless allow-missing is set', async () => {
    const repo = testRepo();
    const strict = plan.replace(/replace: 'test_b=pass'\n {8}with: 'test_b=fail'/, "replace: 'test_c=pass\\n'\n        with: ''");
    repo.write('plans/tests.yaml', strict);
    repo.commitAll('plan: the second phase drops test_c');
    const failed = await phasegate(['run', 'tests', '--yes'], { cwd: repo.dir });
    expect(failed.exitCode, failed.all).toBe(1);
    expect(failed.all).toContain('new: 1, missing: 1 (tests.shop.test_c)');
    repo.write('plans/tests.yaml', strict.replace(/(junit: reports\/junit\.xml\n)$/, '$1        allow-missing: true\n'));
    repo.commitAll('plan: allow missing tests');
    const allowed = await phasegate(['run', 'tests', '--yes', '--from', 'breaks'], { cwd: repo.dir });
    expect(allowed.exitCode, allowed.all).toBe(0);
    expect(allowed.all).toContain('missing: 1 (allowed)');
  });

  it('a ratchet count fails the phase that makes it rise, and passes the one that lowers it', async () => {
    const repo = makeRepo({
      'a.py': '# TODO one\n# TODO two\nx = 1\n',
      'plans/todo.yaml': `version: 1
name: todo
phases:
  - id: fewer
    transform:
      - replace: '# TODO two\\n'
        with: ''
    validate:
      - count: 'TODO'
        ratchet: true
  - id: more
    transform:
      - replace: 'x = 1'
        with: 'x = 1  # TODO three'
    validate:
      - count: 'TODO'
        ratchet: true
`,
    });
    const result = await phasegate(['run', 'todo', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain('1 matching line (ratchet: ≤ 2)');
    expect(result.all).toContain('2 matching lines (rose above 1; ratchet)');
    expect(repo.tags()).toContain('phasegate/todo/fewer');
    expect(repo.tags()).not.toContain('phasegate/todo/more');
    const record = tagRecord(repo, 'phasegate/todo/fewer') as { baselines: { counts: Record<string, number> } };
    expect(record.baselines.counts).toEqual({ 'fewer#0': 1 });
    expect((await phasegate(['status', 'todo'], { cwd: repo.dir })).stdout).toContain('baseline fewer#0 ratchet: at most 1');

    // verify holds main to the count recorded at the tag.
    expect((await phasegate(['verify', 'todo'], { cwd: repo.dir })).exitCode).toBe(0);
    repo.write('b.py', '# TODO again\n');
    repo.commitAll('one more TODO');
    const risen = await phasegate(['verify', 'todo'], { cwd: repo.dir });
    expect(risen.exitCode, risen.all).toBe(1);
    expect(risen.stdout).toContain('rose above 1; ratchet');
  });
});
