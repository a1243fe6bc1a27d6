import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';
import { expectGitSentinels, expectSentinels, IGNORE_BUILD, plantGitSentinels, plantSentinels } from './helpers/sentinels.js';

/**
 * A failed phase gives back the files a user keeps beside the tracked ones — untracked files, and
 * ignored files git lists one by one (a .env) — that its commands changed or removed, and keeps
 * the commands' versions where git can give them back.
 */
const plan = (step: string, check: string) => [
  'version: 1', 'name: p', 'files: ["**/*.py"]', 'phases:', '  - id: one', '    title: regenerate config', '    transform:',
  `      - run: '${step}'`, '    validate:', `      - ${check}`, '',
].join('\n');

describe("a failed phase's revert and the user's own files", () => {
  it('gives back an untracked file a command removed and an ignored .env it overwrote, and says where the overwritten one is kept', async () => {
    const repo = makeRepo({
      '.gitignore': IGNORE_BUILD + '.env\n', 'app.py': 'print(1)\n',
      'plans/p.yaml': plan('rm -f *.md notes/*; echo "API_KEY=placeholder" > .env', "require: 'not there'"),
    });
    const gitKept = plantGitSentinels(repo, 'app.py');
    const planted = plantSentinels(repo, { 'TODO.md': 'my unsaved notes\n', '.env': 'API_KEY=real-secret\n' });
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expectSentinels(repo, planted, 'after the revert');
    expectGitSentinels(repo, gitKept, 'after the revert');
    const kept = [...result.all.matchAll(/kept at (refs\/phasegate\/p\/discarded\/[^\s;,]+)/g)].map((match) => match[1]);
    expect(result.all).toMatch(/gave back 3 file\(s\) of yours .*\.env/);
    const holding = kept.find((ref) => repo.git('ls-tree', '-r', '--name-only', ref).includes('.env'));
    expect(holding, result.all).toBeDefined();
    expect(repo.git('show', `${holding}:.env`)).toBe('API_KEY=placeholder\n');
  });

  it('gives back an untracked file a failing check changed', async () => {
    const repo = makeRepo({
      '.gitignore': IGNORE_BUILD, 'app.py': 'print(1)\n',
      'plans/p.yaml': plan('true', 'run: echo scribbled > notes/todo.txt; exit 1'),
    });
    const planted = plantSentinels(repo);
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expectSentinels(repo, planted, 'after the revert');
  });

  it('a phase that passes keeps what its commands did to those files: the plan asked for it', async () => {
    const repo = makeRepo({
      '.gitignore': IGNORE_BUILD + '.env\n', 'app.py': 'print(1)\n',
      'plans/p.yaml': plan('echo "API_KEY=placeholder" > .env', "forbid: 'zzz'"),
    });
    repo.write('.env', 'API_KEY=real-secret\n');
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    expect(repo.read('.env')).toBe('API_KEY=placeholder\n');
    expect(result.all).not.toContain('gave back');
  });
});
