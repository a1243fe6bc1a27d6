import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ROOT, SSOT_PLAN } from '../examples/lib/example-repo.mjs';
import { fleetRepository } from './helpers/fleet.js';
import { tempDir } from './helpers/repo.js';

/**
 * action/entry.mjs run the way the composite action runs it: `node entry.mjs` in a job whose
 * workspace is a real checkout, inputs as INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
 * files the runner reads afterwards, and a bare repository as origin.
 */
const ENTRY = path.join(ROOT, 'action', 'entry.mjs');
const TIMEOUT = 240_000;

interface Job { workspace: string; origin: string; runnerTemp: string; outputFile: string; summaryFile: string }

function job(breaks?: 'factory-pattern'): Job {
  const parent = tempDir('phasegate-action-');
  const origin = path.join(parent, 'origin.git');
  const workspace = fleetRepository(parent, 'workspace', breaks);
  execFileSync('git', ['init', '--quiet', '--bare', origin]);
  execFileSync('git', ['remote', 'add', 'origin', origin], { cwd: workspace });
  execFileSync('git', ['push', '--quiet', 'origin', 'main'], { cwd: workspace });
  const runnerTemp = path.join(parent, 'runner-temp');
  const outputFile = path.join(parent, 'github_output');
  const summaryFile = path.join(parent, 'step_summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  return { workspace, origin, runnerTemp, outputFile, summaryFile };
}

async function runAction(j: Job, inputs: Record<string, string>) {
  const result = await execa(process.execPath, [ENTRY], {
    cwd: j.workspace, reject: false, all: true, timeout: TIMEOUT, stdin: 'ignore',
    env: {
      GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: j.workspace, GITHUB_OUTPUT: j.outputFile, GITHUB_STEP_SUMMARY: j.summaryFile,
      RUNNER_TEMP: j.runnerTemp, NO_COLOR: '1', CI: undefined,
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    },
  });
  return { exitCode: result.exitCode, all: result.all ?? '', outputs: readOutputs(j.outputFile) };
}

/** GITHUB_OUTPUT as the runner parses it: `name<<delimiter` … `delimiter`; the last write of a name wins. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n?^\2$/gm)) outputs[match[1]] = match[3];
  writeFileSync(file, '');
  return outputs;
}

const remote = (j: Job, ...args: string[]) => execFileSync('git', ['--git-dir', j.origin, ...args], { encoding: 'utf8' }).trim();

describe('the GitHub Action entry point', () => {
  it('runs the plan, fills the job summary and outputs, pushes the branch and tags; a second run has nothing to do', async () => {
    const j = job();
    const prBody = path.join(j.runnerTemp, 'pr body.md');
    const first = await runAction(j, { plan: SSOT_PLAN, command: 'run', args: `--pr-body "${prBody}"`, push: 'true' });
    expect(first.exitCode, first.all).toBe(0);
    expect(first.outputs).toMatchObject({
      result: 'passed', 'exit-code': '0', changed: 'true', 'last-tag': `phasegate/${SSOT_PLAN}/interface`,
      'pushed-branch': 'migrate/websocket-notifier-ssot',
    });
    const report = JSON.parse(readFileSync(first.outputs['report-path'], 'utf8'));
    expect(report).toMatchObject({ plan: SSOT_PLAN, result: 'passed', changed: true });
    expect(first.outputs['report-path'].startsWith(j.runnerTemp)).toBe(true);
    expect(readFileSync(j.summaryFile, 'utf8')).toMatch(/^## ✅ phasegate: WebSocketNotifier SSOT remediation/);
    expect(readFileSync(prBody, 'utf8')).toContain('phasegate rollback base');

    // origin has the migration branch at the last tag, and every tag of the plan.
    expect(remote(j, 'rev-parse', 'refs/heads/migrate/websocket-notifier-ssot')).toBe(execFileSync('git', ['rev-parse', `phasegate/${SSOT_PLAN}/interface^{commit}`], { cwd: j.workspace, encoding: 'utf8' }).trim());
    expect(remote(j, 'tag', '--list').split('\n').sort()).toEqual(['base', 'factory-pattern', 'foundation', 'interface'].map((phase) => `phasegate/${SSOT_PLAN}/${phase}`));
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: j.workspace, encoding: 'utf8' })).toBe('');

    const again = await runAction(j, { plan: SSOT_PLAN, push: 'true' });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.outputs).toMatchObject({ result: 'nothing-to-do', 'exit-code': '0', changed: 'false', 'last-tag': `phasegate/${SSOT_PLAN}/interface` });
    expect(readFileSync(j.summaryFile, 'utf8').match(/^## ✅ phasegate/gm)).toHaveLength(2);
  }, TIMEOUT);

  it('exits with phasegate\'s code and says why: refused on a dirty tree (nothing pushed), bad inputs refused', async () => {
    const j = job();
    writeFileSync(path.join(j.workspace, 'netra_backend', '__init__.py'), '# edited\n');
    const dirty = await runAction(j, { plan: SSOT_PLAN, push: 'true' });
    expect(dirty.exitCode, dirty.all).toBe(2);
    expect(dirty.outputs).toMatchObject({ result: 'refused', 'exit-code': '2', changed: 'false', 'pushed-branch': '' });
    expect(dirty.all).toContain('netra_backend/__init__.py');
    expect(remote(j, 'tag', '--list')).toBe('');
    expect(existsSync(dirty.outputs['report-path'])).toBe(true);

    const bad = await runAction(j, { plan: SSOT_PLAN, command: 'deploy' });
    expect(bad.exitCode).toBe(2);
    expect(bad.all).toContain("::error title=phasegate action::input 'command' must be one of run, verify, sync, not 'deploy'");
    expect(bad.outputs).toMatchObject({ result: 'refused', 'exit-code': '2' });
  }, TIMEOUT);
});

describe('action.yml', () => {
  it('passes every input the entry point reads, the way the runner names them, and runs the entry point', async () => {
    const { parse } = await import('yaml');
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    expect(action.runs.using).toBe('composite');
    const step = action.runs.steps.find((s: { id?: string }) => s.id === 'phasegate');
    expect(step.run).toContain('action/entry.mjs');
    expect(step.env.CI).toBe('true');
    for (const name of Object.keys(action.inputs).filter((input) => input !== 'node-version')) {
      expect(step.env[`INPUT_${name.toUpperCase()}`], name).toBe(`\${{ inputs.${name} }}`);
    }
    for (const name of ['result', 'exit-code', 'last-tag', 'report-path']) {
      expect(action.outputs[name].value).toBe(`\${{ steps.phasegate.outputs.${name} }}`);
    }
    // Every example workflow is valid YAML and uses the action's real inputs only.
    for (const file of ['fleet.yml', 'phasegate-pr.yml']) {
      const workflow = parse(readFileSync(path.join(ROOT, 'examples', 'fleet', '.github', 'workflows', file), 'utf8'));
      for (const job of Object.values(workflow.jobs) as { steps: { uses?: string; with?: Record<string, string> }[] }[]) {
        for (const used of job.steps.filter((s) => s.uses?.includes('/phasegate@'))) {
          expect(Object.keys(used.with ?? {}).filter((key) => !(key in action.inputs)), file).toEqual([]);
        }
      }
    }
  });
});
