import { describe, expect, it } from 'vitest';
import { parseCLI } from '../../src/cli.js';

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
    // No plan: the one recorded with the tags (SPEC "Which plan").
    [['verify'], { name: 'verify', plan: undefined }],
    [['sync', '--yes'], { name: 'sync', plan: undefined, yes: true }],
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
