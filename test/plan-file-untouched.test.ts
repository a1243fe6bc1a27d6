import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';
import { expectSentinels, IGNORE_BUILD, plantSentinels } from './helpers/sentinels.js';

/**
 * SPEC: "The plan file itself is never in the scope of a transform". A `run` step is a command and
 * can reach it anyway (a sed over every tracked file); the checkpoint must still not carry it.
 */
const plan = [
  'version: 1', 'name: p', 'files: ["**/*.py"]', 'phases:', '  - id: one', '    title: rename the call', '    transform:',
  "      - run: git ls-files -z | xargs -0 sed -i s/old_call/new_call/g", '    validate:', "      - forbid: 'old_call'",
  '        files: ["**/*.py"]', '  - id: two', '    title: second', '    transform:', "      - replace: 'x = 1'", "        with: 'x = 2'",
  '', '',
].join('\n');

describe('a command step that writes the plan file', () => {
  it('the checkpoint keeps the plan as it was; the command\'s version is kept aside and named; the next run goes on', async () => {
    const repo = makeRepo({ '.gitignore': IGNORE_BUILD, 'a.py': 'old_call()\nx = 1\n', 'plans/p.yaml': plan });
    const planted = plantSentinels(repo);
    const first = await phasegate(['run', 'p', '--yes', '--to', 'one'], { cwd: repo.dir });
    expect(first.exitCode, first.all).toBe(0);
    expect(repo.read('a.py')).toBe('new_call()\nx = 1\n');
    expect(repo.git('show', 'phasegate/p/one:plans/p.yaml')).toBe(plan);
    expect(repo.read('plans/p.yaml')).toBe(plan);
    expect(repo.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    const kept = first.all.match(/plan file plans\/p\.yaml.*kept at (\S+)/)?.[1];
    expect(kept, first.all).toBeDefined();
    expect(repo.git('show', `${kept!.replace(/[;,)]$/, '')}:plans/p.yaml`)).toContain('new_call');
    const second = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(second.exitCode, second.all).toBe(0);
    expectSentinels(repo, planted, 'after both runs');
  });
});
