import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { phasegate } from './helpers/cli.js';
import { makeRepo } from './helpers/repo.js';

/**
 * A UTF-8 byte order mark is not line content: `^` matches the first line of such a file as of
 * any other, a replace keeps the mark, and a check finds the match on line 1.
 */
const BOM = '\uFEFF';
const plan = (validate: string) => [
  'version: 1', 'name: p', 'files: ["**/*.py"]', 'phases:', '  - id: one', '    title: one', '    transform:',
  "      - replace: '^from old\\.mod import'", "        with: 'from new.mod import'", '    validate:', validate, '',
].join('\n');

describe('files that start with a byte order mark', () => {
  it('replace with ^ rewrites their first line and keeps the mark; forbid then passes', async () => {
    const repo = makeRepo({ 'bom.py': `${BOM}from old.mod import x\nfrom old.mod import y\n`, 'plain.py': 'from old.mod import z\n', 'plans/p.yaml': plan("      - forbid: '^from old\\.mod import'") });
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(0);
    const bytes = readFileSync(path.join(repo.dir, 'bom.py'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('from new.mod import x\nfrom new.mod import y\n');
  });

  it('forbid with ^ finds line 1 of such a file', async () => {
    const checksOnly = [
      'version: 1', 'name: p', 'files: ["**/*.py"]', 'phases:', '  - id: one', '    title: one', '    validate:',
      "      - forbid: '^from old\\.mod import'", '',
    ].join('\n');
    const repo = makeRepo({ 'bom.py': `${BOM}from old.mod import x\n`, 'plans/p.yaml': checksOnly });
    const result = await phasegate(['run', 'p', '--yes'], { cwd: repo.dir });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain('bom.py:1');
  });
});
