#!/usr/bin/env node
/**
 * `npm run demo` — phasegate's whole product on an example backend, offline, in under a minute:
 *
 *   1. run the WebSocketNotifier SSOT plan unattended (three phases, each tagged) and summarise it;
 *   2. `phasegate rollback foundation` — back to the state after phase 1;
 *   3. a deliberately broken phase 2 (the seed's own regex, run over every file) fails its checks
 *      and is reverted: exit 1, HEAD back at phase 1's tag, the failed attempt kept for inspection;
 *   4. the real plan again: it resumes after phase 1 and finishes;
 *   then main moves on (a new file with the old import) and `phasegate sync` replays the migration on it,
 *   and after the merge `phasegate verify` catches a commit that brings the old import back.
 *
 * Everything happens in a fresh temporary git repository (under $PHASEGATE_DEMO_DIR, else the
 * system's temp folder), which is left in place for you to look at. Exit 0 means phasegate did
 * exactly what it promises at every step; anything else is printed and exits 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BIN, CANONICAL_MODULE, LEGACY_MODULES, ROOT, SSOT_PLAN, brokenPhase2Plan, commitAll, copyExample, git,
  initRepository, refExists, tagCommit, tagRecord,
} from './lib/example-repo.mjs';

const started = Date.now();
const colour = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (text) => (colour ? `\x1b[1m${text}\x1b[22m` : text);
const dim = (text) => (colour ? `\x1b[2m${text}\x1b[22m` : text);
const tag = (phase) => `phasegate/${SSOT_PLAN}/${phase}`;
const problems = [];

function heading(text) {
  console.log(`\n${bold(`━━ ${text} `.padEnd(100, '━'))}`);
}

/** A promise phasegate makes, checked: ✔ when kept, ✖ (and exit 1 at the end) when not. */
function expect(ok, text, detail = '') {
  console.log(`${ok ? '✔' : '✖'} ${text}${!ok && detail ? ` — ${detail}` : ''}`);
  if (!ok) problems.push(text);
  return ok;
}

function phasegate(args, cwd) {
  console.log(dim(`$ phasegate ${args.join(' ')}`));
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(2);
}

// ---- prerequisites ------------------------------------------------------------------------------
if (!existsSync(BIN)) fail(`${path.relative(process.cwd(), BIN)} is missing: run 'npm ci' (or 'npm run build') first`);
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
if (python.status !== 0) fail('python3 is needed to run the example backend and its tests (it is not on PATH)');
if (spawnSync('git', ['--version']).status !== 0) fail('git is needed (it is not on PATH)');

const workspace = mkdtempSync(path.join(process.env.PHASEGATE_DEMO_DIR ?? os.tmpdir(), 'phasegate-demo-'));
const repo = path.join(workspace, 'websocket-backend');
const report = path.join(workspace, 'run.json');
const summary = path.join(workspace, 'run.md');
const brokenPlan = path.join(workspace, 'broken-phase2.yaml');
const failedRef = `refs/phasegate/${SSOT_PLAN}/failed/factory-pattern`;

console.log(bold('phasegate demo — the WebSocketNotifier SSOT remediation on an example Python backend'));
console.log(`  example     ${path.relative(ROOT, path.join(ROOT, 'examples/websocket-backend'))} (${python.stdout.trim()}, standard library only)`);
console.log(`  plan        plans/${SSOT_PLAN}.yaml — 3 phases: foundation, factory-pattern, interface`);
console.log(`  repository  ${repo}`);

copyExample('websocket-backend', repo, { plans: [SSOT_PLAN], hooks: true });
initRepository(repo);
commitAll(repo, 'Example backend before the SSOT remediation');
const trackedPython = git(repo, 'ls-files', '*.py').split('\n').length;
console.log(`              a fresh git repository: ${trackedPython} Python files, the plan and phasegate's sample hooks, committed on 'main'`);

// ---- 1. the migration ---------------------------------------------------------------------------
heading('1/4 · Run the plan unattended');
let exit = phasegate(['run', SSOT_PLAN, '--yes', '--report', report, '--summary', summary], repo);
if (!expect(exit === 0, 'the migration passed (exit 0)', `exit ${exit}`)) finish();
expect(['base', 'foundation', 'factory-pattern', 'interface'].every((phase) => tagCommit(repo, tag(phase))), 'tags: base, foundation, factory-pattern, interface');

heading('Summary');
printSummary(JSON.parse(readFileSync(report, 'utf8')));
checkMigratedCode();

// ---- 2. rollback --------------------------------------------------------------------------------
heading('2/4 · Roll back to the state after phase 1');
exit = phasegate(['rollback', 'foundation', '--yes'], repo);
if (!expect(exit === 0, 'rollback finished (exit 0)', `exit ${exit}`)) finish();
expect(git(repo, 'rev-parse', 'HEAD') === tagCommit(repo, tag('foundation')), `HEAD is at ${tag('foundation')}`);
expect(!tagCommit(repo, tag('factory-pattern')) && !tagCommit(repo, tag('interface')), 'the factory-pattern and interface tags are gone');
expect(refExists(repo, `refs/phasegate/${SSOT_PLAN}/undone/interface`), `their commits stay reachable under refs/phasegate/${SSOT_PLAN}/undone/`);
expect(git(repo, 'status', '--porcelain') === '', 'the working tree is clean');

// ---- 3. a broken phase 2 ------------------------------------------------------------------------
heading("3/4 · A broken phase 2: the seed's Script 2 regex over every file");
console.log([
  "The seed's factory script rewrites  WebSocketNotifier(a, b)  with a regex in every .py file. That",
  "includes the canonical module, where create_for_user() itself calls WebSocketNotifier(...): the",
  'factory would call itself forever. Its structural checks still pass — the tests do not.',
  `The broken plan: ${brokenPlan}`,
].join('\n'));
writeFileSync(brokenPlan, brokenPhase2Plan());
const brokenReport = path.join(workspace, 'broken.json');
exit = phasegate(['run', brokenPlan, '--yes', '--report', brokenReport], repo);
expect(exit === 1, 'phasegate stopped the run: exit 1', `exit ${exit}`);
expect(git(repo, 'rev-parse', 'HEAD') === tagCommit(repo, tag('foundation')), `HEAD is back at ${tag('foundation')}`);
expect(git(repo, 'status', '--porcelain') === '', 'the working tree is clean');
expect(!tagCommit(repo, tag('factory-pattern')), 'no tag was made for the failed phase');
expect(refExists(repo, failedRef), `the failed attempt is kept at ${failedRef}`);
if (existsSync(brokenReport)) {
  const failed = JSON.parse(readFileSync(brokenReport, 'utf8')).phases.find((phase) => phase.id === 'factory-pattern');
  for (const check of failed?.checks.filter((entry) => !entry.passed) ?? []) console.log(dim(`    failed check: ${check.name} — ${check.summary}`));
}

// ---- 4. resume ----------------------------------------------------------------------------------
heading('4/4 · The real plan again: it resumes after phase 1');
exit = phasegate(['run', SSOT_PLAN, '--yes'], repo);
expect(exit === 0, 'the migration finished (exit 0)', `exit ${exit}`);
expect(['base', 'foundation', 'factory-pattern', 'interface'].every((phase) => tagCommit(repo, tag(phase))), 'all four tags exist: base, foundation, factory-pattern, interface');
expect(git(repo, 'rev-parse', 'HEAD') === tagCommit(repo, tag('interface')), `HEAD is at ${tag('interface')}`);

// ---- sync: main moved on ------------------------------------------------------------------------
heading('Then main moves on: phasegate sync');
const newAgent = 'netra_backend/app/agents/billing_agent.py';
console.log(`While the migration waits for review, a colleague adds ${newAgent} on main, with the old import.`);
const migrationBranch = git(repo, 'symbolic-ref', '--short', 'HEAD');
git(repo, 'checkout', '--quiet', 'main');
writeFileSync(path.join(repo, newAgent), 'from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier\n\n\ndef notifier_class():\n    return WebSocketNotifier\n');
commitAll(repo, 'Add the billing agent');
git(repo, 'checkout', '--quiet', migrationBranch);
exit = phasegate(['sync', SSOT_PLAN, '--yes'], repo);
expect(exit === 0, 'the migration was replayed on the new main (exit 0)', `exit ${exit}`);
expect(tagCommit(repo, tag('base')) === git(repo, 'rev-parse', 'main'), `${tag('base')} is now main's tip`);
expect(readFileSync(path.join(repo, newAgent), 'utf8').startsWith('from netra_backend.app.services.agent_websocket_bridge import WebSocketNotifier'),
  `phase 1 migrated the new ${newAgent} too`);
expect(git(repo, 'for-each-ref', `refs/phasegate/${SSOT_PLAN}/synced/`) !== '', `the old branch tip and tags are kept under refs/phasegate/${SSOT_PLAN}/synced/`);

// ---- verify: main keeps the migration -----------------------------------------------------------
heading('After the merge: phasegate verify guards main');
console.log('The migration branch is merged into main. The checks of its phases now guard main in CI:');
git(repo, 'checkout', '--quiet', 'main');
git(repo, 'merge', '--quiet', '--ff-only', migrationBranch);
exit = phasegate(['verify', SSOT_PLAN], repo);
expect(exit === 0, 'verify on the merged main: every check holds (exit 0)', `exit ${exit}`);
const backslide = 'netra_backend/app/agents/reports_agent.py';
console.log(`A month later someone adds ${backslide}, copying an old import from a stale branch.`);
writeFileSync(path.join(repo, backslide), 'from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier\n');
commitAll(repo, 'Add the reports agent');
const before = git(repo, 'rev-parse', 'HEAD') + git(repo, 'status', '--porcelain');
exit = phasegate(['verify', SSOT_PLAN], repo);
expect(exit === 1, `verify catches the regression at ${backslide}:1 (exit 1)`, `exit ${exit}`);
expect(git(repo, 'rev-parse', 'HEAD') + git(repo, 'status', '--porcelain') === before, 'verify changed nothing in the repository');
finish();

// ---- helpers ------------------------------------------------------------------------------------

function printSummary(run) {
  const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
  console.log(`plan ${run.plan} on branch ${run.branch}: ${run.result} in ${seconds(run.durationMs)}`);
  for (const phase of run.phases) {
    const passed = phase.checks.filter((check) => check.passed).length;
    const score = phase.score === null ? '' : `score ${phase.score}%${phase.threshold === null ? '' : ` (gate ≥ ${phase.threshold}%)`}`;
    console.log(`\n${bold(phase.id)} · ${phase.status} · ${phase.tag ?? 'no tag'}`);
    console.log(`  ${phase.filesChanged} files changed (+${phase.insertions} −${phase.deletions}) · ${passed}/${phase.checks.length} checks · ${score} · ` +
      `transform ${seconds(phase.durations.transformMs)}, checks ${seconds(phase.durations.checksMs)}, total ${seconds(phase.durations.totalMs)}`);
    for (const check of phase.checks) {
      const weight = phase.threshold === null ? '' : dim(check.required ? '  required' : `  weight ${check.weight}`);
      console.log(`  ${check.passed ? '✔' : '✖'} ${check.name} — ${check.summary}${check.details.before !== undefined ? ` (before: ${check.details.before})` : ''}${weight}`);
    }
    if (phase.status === 'passed' && phase.threshold !== null && passed < phase.checks.length) {
      console.log(dim(`  ↳ passed at ${phase.score}% ≥ ${phase.threshold}%: the score gate tolerates a failed check of small weight; a required one, or an SSOT check (weight 3), would fail the phase`));
    }
  }
  const last = run.phases.at(-1);
  const record = tagRecord(repo, last.tag);
  console.log(`\nThe score is recorded in the tag: git tag -n1 ${last.tag} → score ${record?.score}% (threshold ${record?.threshold}%)`);
  console.log(`Markdown for a pull request: ${summary}`);
}

/** What the migration promised about the code itself. */
function checkMigratedCode() {
  console.log('');
  const grep = (...args) => spawnSync('git', ['grep', '-n', ...args], { cwd: repo, encoding: 'utf8' }).stdout.trim();
  const deprecated = grep('-E', '(agents\\.supervisor|websocket_core|services)\\.websocket_notifier import', '--', '*.py');
  expect(deprecated === '', 'no deprecated import path is left', deprecated);
  const bridge = readFileSync(path.join(repo, CANONICAL_MODULE), 'utf8');
  expect(/^class WebSocketNotifier:/m.test(bridge) && /notifier = WebSocketNotifier\(emitter, exec_context\)/.test(bridge),
    'the class definition and the factory in the canonical module are intact');
  expect(grep('-F', 'class AuditedNotifier(WebSocketNotifier, AuditMixin):') !== '', 'the subclass AuditedNotifier(WebSocketNotifier, AuditMixin) is untouched');
  expect(grep('-F', '"WebSocketNotifier(emitter, ctx) is deprecated') !== '', 'strings that mention WebSocketNotifier( are untouched');
  expect(LEGACY_MODULES.every((module) => existsSync(path.join(repo, `${module}.deprecated_backup`)) && !existsSync(path.join(repo, module))),
    'the three legacy modules are renamed to .deprecated_backup');
}

function finish() {
  heading(problems.length === 0 ? `Done in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'Something did not behave as promised');
  const cli = `node ${BIN}`;
  console.log(`The repository is ${repo} — have a look:`);
  console.log(`  cd ${repo}`);
  console.log('  git log --oneline --graph --decorate --all');
  console.log(`  ${cli} status ${SSOT_PLAN}`);
  console.log(`  git diff ${tag('base')} ${tag('interface')} --stat`);
  console.log(`  git show ${failedRef}        # the broken phase 2, kept`);
  console.log('  git log --notes=phasegate    # results attached by hooks/git-note.sh');
  console.log('  cat .git/phasegate/events.log  # one line per event, by hooks/log-event.sh');
  if (problems.length > 0) {
    console.log(`\n✖ ${problems.length} expectation(s) failed:\n${problems.map((text) => `  - ${text}`).join('\n')}`);
    process.exit(1);
  }
  process.exit(0);
}
