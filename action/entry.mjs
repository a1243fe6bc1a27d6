#!/usr/bin/env node
/**
 * The GitHub Action's entry point (see action.yml): runs phasegate unattended in the workspace,
 * puts its Markdown report in the job summary, writes the step's outputs, pushes the migration
 * branch and its tags when asked, and exits with phasegate's own exit code.
 *
 * Inputs arrive as environment variables (action.yml passes `${{ inputs.x }}` as INPUT_X), the way
 * the runner does for JavaScript actions, so this script can be run and tested outside Actions.
 * Plain Node, no dependencies: it must work before anything but phasegate itself is installed.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
const COMMANDS = ['run', 'verify', 'sync'];
const RESULT_OF_EXIT = { 0: 'passed', 1: 'failed', 2: 'refused', 3: 'error', 130: 'interrupted' };

const input = (name, fallback = '') => (process.env[`INPUT_${name.toUpperCase().replace(/ /g, '_')}`] ?? '').trim() || fallback;

/** `args` as a shell would split it: whitespace, with single and double quotes grouping. */
function splitArgs(text) {
  const args = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) args.push(match[1]?.replace(/\\(.)/g, '$1') ?? match[2] ?? match[3]);
  return args;
}

/** A step output in the runner's multi-line-safe form: `name<<delimiter`, value, delimiter. */
function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return process.stdout.write(`output ${name}=${value}\n`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

function fail(message, code = 2) {
  process.stderr.write(`::error title=phasegate action::${message}\n`);
  setOutput('result', 'refused');
  setOutput('exit-code', String(code));
  process.exit(code);
}

function git(cwd, ...args) {
  return spawnSync('git', args, { cwd, encoding: 'utf8' });
}

function phasegate(cwd, args, env = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, stdio: 'inherit', env: { ...process.env, CI: 'true', ...env } }).status ?? 3;
}

/** The plan's name and its last tagged phase, from `phasegate status --json` (works after any command). */
function planState(cwd, plan) {
  const status = spawnSync(process.execPath, [BIN, 'status', plan, '--json'], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  try {
    const state = JSON.parse(status.stdout).plans?.[0];
    const lastTag = [...(state?.phases ?? [])].reverse().find((phase) => phase.tagged)?.tag ?? state?.base?.tag ?? '';
    return { name: state?.name ?? '', lastTag };
  } catch {
    return { name: '', lastTag: '' };
  }
}

function push(cwd, planName, command) {
  const branch = git(cwd, 'symbolic-ref', '--quiet', '--short', 'HEAD').stdout.trim();
  if (!branch) {
    process.stderr.write('::error title=phasegate action::push: HEAD is detached, no branch to push (run on a branch, or set push: false)\n');
    return undefined;
  }
  // Tags are pushed by name: --follow-tags would miss a tag on a commit the remote already has.
  // sync rewrites the branch and moves the tags, so it replaces them (the lease protects others' pushes).
  const rewrite = command === 'sync';
  const refspecs = [`${rewrite ? '+' : ''}refs/heads/${branch}:refs/heads/${branch}`, `${rewrite ? '+' : ''}refs/tags/phasegate/${planName}/*:refs/tags/phasegate/${planName}/*`];
  const result = spawnSync('git', ['push', ...(rewrite ? ['--force-with-lease'] : []), 'origin', ...refspecs], { cwd, stdio: 'inherit' });
  if (result.status === 0) return branch;
  process.stderr.write(`::error title=phasegate action::git push origin ${branch} with its phasegate/${planName}/* tags failed (see above); does the token have contents: write?\n`);
  return undefined;
}

function main() {
  const plan = input('plan');
  const command = input('command', 'run');
  const extra = splitArgs(input('args'));
  const wantsPush = input('push', 'false') === 'true';
  const cwd = path.resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), input('working-directory', '.'));
  if (!plan) fail("input 'plan' is required: a plan file or a bare plan name (plans/<name>.yaml)");
  if (!COMMANDS.includes(command)) fail(`input 'command' must be one of ${COMMANDS.join(', ')}, not '${command}'`);
  if (!existsSync(BIN)) fail(`phasegate is not built at ${BIN}: the action's build step did not run`, 3);

  // Outside the workspace, so that no report can land in (or overwrite) a tracked file.
  const outDir = path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'phasegate', `${path.basename(plan).replace(/\.ya?ml$/, '')}-${command}-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  const reportPath = path.join(outDir, 'report.json');
  const summaryPath = path.join(outDir, 'summary.md');
  const args = command === 'run' ? ['run', plan, '--yes', '--report', reportPath, '--summary', summaryPath, ...extra]
    : command === 'verify' ? ['verify', plan, '--format', 'github', ...extra] // verify writes the job summary itself
    : ['sync', plan, '--yes', ...extra];
  process.stdout.write(`::group::phasegate ${args.join(' ')}\n`);
  const exitCode = phasegate(cwd, args);
  process.stdout.write('::endgroup::\n');

  const report = existsSync(reportPath) ? JSON.parse(readFileSync(reportPath, 'utf8')) : undefined;
  if (existsSync(summaryPath) && process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${readFileSync(summaryPath, 'utf8')}\n`);
  const state = planState(cwd, plan);
  const planName = state.name || report?.plan || '';
  let result = report?.result ?? RESULT_OF_EXIT[exitCode] ?? 'error';
  if (result === 'passed' && report?.changed === false) result = 'nothing-to-do';

  let pushed = '';
  let finalExit = exitCode;
  // A failed run keeps the phases that passed (tagged): they are pushed too, so the draft PR shows how far it got.
  if (wantsPush && command !== 'verify' && (exitCode === 0 || exitCode === 1) && planName) {
    pushed = push(cwd, planName, command) ?? '';
    if (!pushed) finalExit = exitCode || 1;
  }

  setOutput('result', result);
  setOutput('exit-code', String(exitCode));
  setOutput('changed', String(report?.changed ?? false));
  setOutput('last-tag', state.lastTag);
  setOutput('report-path', report ? reportPath : '');
  setOutput('summary-path', existsSync(summaryPath) ? summaryPath : '');
  setOutput('pushed-branch', pushed);
  process.exit(finalExit);
}

main();
