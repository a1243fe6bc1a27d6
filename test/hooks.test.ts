import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../examples/lib/example-repo.mjs';
import { makeRepo, tempDir, type TestRepo } from './helpers/repo.js';

/** The sample hook scripts in hooks/: POSIX sh, documented, and doing what their header says. */
const HOOKS = ['log-event.sh', 'git-note.sh', 'github-step-summary.sh'];
const hook = (name: string) => path.join(ROOT, 'hooks', name);

function runHook(repo: TestRepo, name: string, env: Record<string, string>) {
  return spawnSync(hook(name), [], {
    cwd: repo.dir, encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: repo.dir, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env },
  });
}

function taggedRepo(): TestRepo {
  const repo = makeRepo({ 'a.txt': 'a\n' });
  repo.git('tag', '-a', '--cleanup=verbatim', '-m', JSON.stringify({ summary: 'phasegate demo: one passed (score 90.9%)', phasegate: 1, score: 90.9 }, null, 2), 'phasegate/demo/one');
  return repo;
}

const event = (name: string, extra: Record<string, string> = {}) => ({
  PHASEGATE_EVENT: name, PHASEGATE_PLAN: 'demo', PHASEGATE_PHASE: 'one', PHASEGATE_TAG: 'phasegate/demo/one', PHASEGATE_STATUS: 'passed', ...extra,
});

describe('sample hooks', () => {
  it.each(HOOKS)('%s is an executable, documented POSIX sh script', (name) => {
    const text = readFileSync(hook(name), 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toMatch(new RegExp(`^# ${name.replace('.', '\\.')} — `, 'm'));
    expect(text).toContain(`hooks/${name}`);
    expect(statSync(hook(name)).mode & 0o111).toBe(0o111);
    expect(() => execFileSync('sh', ['-n', hook(name)])).not.toThrow();
  });

  it('log-event.sh appends one JSON line per event, to .git/phasegate/events.log or $PHASEGATE_EVENTS_LOG', () => {
    const repo = taggedRepo();
    expect(runHook(repo, 'log-event.sh', event('after-phase')).status).toBe(0);
    expect(runHook(repo, 'log-event.sh', event('after-run', { PHASEGATE_PHASE: '', PHASEGATE_TAG: '', PHASEGATE_STATUS: 'we said "done" \\o/' })).status).toBe(0);
    const lines = readFileSync(path.join(repo.dir, '.git/phasegate/events.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ event: 'after-phase', plan: 'demo', phase: 'one', tag: 'phasegate/demo/one', status: 'passed', head: repo.head().slice(0, 10) }),
      expect.objectContaining({ event: 'after-run', phase: '', status: 'we said "done" \\o/' }),
    ]);
    expect(lines[0].time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(repo.git('status', '--porcelain')).toBe('');

    const elsewhere = path.join(tempDir(), 'logs', 'events.jsonl');
    expect(runHook(repo, 'log-event.sh', event('on-failure', { PHASEGATE_EVENTS_LOG: elsewhere })).status).toBe(0);
    expect(JSON.parse(readFileSync(elsewhere, 'utf8'))).toMatchObject({ event: 'on-failure' });
  });

  it('log-event.sh never fails, even when it cannot write', () => {
    const repo = taggedRepo();
    const result = runHook(repo, 'log-event.sh', event('after-phase', { PHASEGATE_EVENTS_LOG: '/proc/no/such/dir/events.log' }));
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('could not write');
  });

  it('git-note.sh copies the tag record to a note on the tagged commit, with or without an identity', () => {
    const repo = taggedRepo();
    repo.git('config', '--unset', 'user.name');
    repo.git('config', '--unset', 'user.email');
    expect(runHook(repo, 'git-note.sh', event('on-failure')).status).toBe(0);
    expect(repo.refs()).not.toContain('refs/notes/phasegate');

    const result = runHook(repo, 'git-note.sh', event('after-phase'));
    expect(result.status, result.stderr).toBe(0);
    expect(repo.git('notes', '--ref=phasegate', 'show', 'HEAD')).toContain('"score": 90.9');
    expect(repo.git('log', '-1', '--format=%an', 'refs/notes/phasegate').trim()).toBe('phasegate');

    const missing = runHook(repo, 'git-note.sh', event('after-phase', { PHASEGATE_TAG: 'phasegate/demo/nope' }));
    expect(missing.status).toBe(0);
    expect(missing.stderr).toContain('nothing noted');
  });

  it('github-step-summary.sh writes a Markdown table to $GITHUB_STEP_SUMMARY, and nothing without it', () => {
    const repo = taggedRepo();
    expect(runHook(repo, 'github-step-summary.sh', event('after-phase')).status).toBe(0);
    const summary = path.join(tempDir(), 'summary.md');
    writeFileSync(summary, '# CI job\n');
    for (const env of [event('after-phase'), event('on-failure', { PHASEGATE_PHASE: 'two', PHASEGATE_TAG: 'phasegate/demo/two' }), event('after-run', { PHASEGATE_STATUS: 'failed' })]) {
      expect(runHook(repo, 'github-step-summary.sh', { ...env, GITHUB_STEP_SUMMARY: summary }).status).toBe(0);
    }
    expect(readFileSync(summary, 'utf8')).toBe([
      '# CI job',
      '',
      '### phasegate: demo',
      '',
      '| phasegate phase | result | score | tag |',
      '| --- | --- | --- | --- |',
      '| one | ✅ passed | 90.9% | `phasegate/demo/one` |',
      '| two | ❌ failed, rolled back | - | - |',
      '',
      'phasegate run of `demo` finished: **failed**',
      '',
    ].join('\n'));
  });
});
