#!/usr/bin/env node
/**
 * `npm run torture` — the "nothing is lost" promise, checked the hard way (issue 11).
 *
 * On a repository made from the bundled example (examples/websocket-backend + the SSOT plan), with
 * sentinels a user could have lying around — untracked files in untracked folders, ignored files
 * and folders, a stash, another branch, a local tag, an uncommitted plan in a new folder — it
 * starts `phasegate run` or `phasegate rollback` in its own process group, `kill -9`s the group at
 * a random moment, then recovers as a user would (`phasegate status`, then the same command again,
 * to completion). After every iteration it checks:
 *
 *   - every sentinel byte for byte, the stash, the other branch, the local tag and `main`;
 *   - every phasegate tag's tree against an uninterrupted reference run (made once, in a clone);
 *   - the recovered state: HEAD's tree is the expected tag's, no tracked file is dirty;
 *   - that no process of the killed command is left (every command carries a marker in its
 *     environment; /proc is searched for it), and no temporary folder of it in TMPDIR (every
 *     command runs with a TMPDIR of its own).
 *
 * `--command` picks what is killed: `run-rollback` (the default: `run` or `rollback`, whichever has
 * something to do, picked at random), `sync` (`phasegate sync` after `main` moved on, replayed in
 * place or in a scratch clone: see sync.mjs for its set-up and checks), or `all` (both, each for
 * `--iterations` iterations).
 *
 *   node test/torture/run.mjs [--command run-rollback|sync|all] [--iterations 100] [--seed N] [--timeout 300] [--keep] [--json] [--verbose]
 *
 * Exit 0 when nothing was lost, 1 when anything was, 2 when the torture itself could not start.
 * Losses are repaired after being counted, so one loss does not hide the next iterations'.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BIN, ROOT, SSOT_PLAN, commitAll, copyExample, git, initRepository } from '../../examples/lib/example-repo.mjs';

const { values: options } = parseArgs({
  options: {
    iterations: { type: 'string', default: '100' },
    seed: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    command: { type: 'string', default: 'run-rollback' },
  },
});
const COMMANDS = { 'run-rollback': ['run-rollback'], sync: ['sync'], all: ['run-rollback', 'sync'] };
const iterations = Number(options.iterations);
const seed = options.seed === undefined ? randomInt(1, 2 ** 31) : Number(options.seed);
const commandTimeoutMs = Number(options.timeout) * 1000;
if (!Number.isInteger(iterations) || iterations < 1 || !Number.isInteger(seed) || !(commandTimeoutMs > 0)) {
  console.error('torture: --iterations and --seed take whole numbers, --timeout a number of seconds');
  process.exit(2);
}
if (!Object.hasOwn(COMMANDS, options.command)) {
  console.error(`torture: --command takes ${Object.keys(COMMANDS).join(', ')}`);
  process.exit(2);
}
if (!existsSync(BIN)) {
  console.error(`torture: ${path.relative(process.cwd(), BIN)} is missing: run 'npm run build' first`);
  process.exit(2);
}

const PLAN = SSOT_PLAN;
const PHASES = ['base', 'foundation', 'factory-pattern', 'interface'];
const BRANCH = 'migrate/websocket-notifier-ssot';
const tagName = (phase) => `phasegate/${PLAN}/${phase}`;
const log = (text) => { if (!options.json) console.log(text); };
const verbose = (text) => { if (options.verbose && !options.json) console.log(`  ${text}`); };

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);
const pick = (list) => list[Math.floor(random() * list.length)];

const workspace = mkdtempSync(path.join(os.tmpdir(), 'phasegate-torture-'));
const logs = path.join(workspace, 'logs');
mkdirSync(logs);
// Every command's TMPDIR: whatever a killed command leaves there, the next one must remove.
const tmp = path.join(workspace, 'tmp');
mkdirSync(tmp);
let current; // the command running now, so a Ctrl-C of the torture kills it too
let markCounter = 0;
const markPrefix = `phasegate-torture-${process.pid}-${path.basename(workspace)}`;

function cleanUp() {
  if (current?.alive) killGroup(current.pid);
  for (const pid of markedProcesses(markPrefix)) killGroup(pid);
  if (!options.keep) rmSync(workspace, { recursive: true, force: true, maxRetries: 3 });
  else console.error(`torture: workspace kept at ${workspace}`);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\ntorture: ${signal}, stopping`);
    cleanUp();
    process.exit(130);
  });
}

// ---- processes ----------------------------------------------------------------------------------

function killGroup(pid, signal = 'SIGKILL') {
  try { process.kill(-pid, signal); } catch { /* gone */ }
  try { process.kill(pid, signal); } catch { /* gone */ }
}

/** Live (not zombie) processes whose environment holds the marker: everything a command started. */
function markedProcesses(mark) {
  if (!existsSync('/proc/self/environ')) return [];
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (!environ.includes(`PHASEGATE_TORTURE_MARK=${mark}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && state !== 'X') found.push(Number(entry));
    } catch { /* exited meanwhile, or not ours */ }
  }
  return found;
}

function describeProcess(pid) {
  try { return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/[\0\s]+/g, ' ').trim().slice(0, 120)}`; } catch { return `${pid}`; }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Start the CLI in its own process group (detached) with a marker in its environment; output goes
 * to a log file. `exited` resolves with { code, signal } when the process is gone.
 */
function launch(args, cwd, label, extraEnv = {}) {
  const mark = `${markPrefix}-${++markCounter}`;
  const logFile = path.join(logs, `${String(markCounter).padStart(4, '0')}-${label}.log`);
  appendFileSync(logFile, `$ phasegate ${args.join(' ')}\n`);
  const fd = openSync(logFile, 'a');
  const env = { ...process.env, NO_COLOR: '1', TMPDIR: tmp, ...extraEnv, PHASEGATE_TORTURE_MARK: mark };
  delete env.CI;
  const child = spawn(process.execPath, [BIN, ...args], { cwd, detached: true, stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  const handle = { pid: child.pid, mark, logFile, alive: true, started: performance.now() };
  handle.exited = new Promise((resolve) => {
    child.once('error', (error) => { handle.alive = false; resolve({ code: null, signal: null, error }); });
    child.once('exit', (code, signal) => { handle.alive = false; handle.durationMs = performance.now() - handle.started; resolve({ code, signal }); });
  });
  current = handle;
  return handle;
}

/** Run to completion (or until the timeout, then kill it and say so). */
async function complete(args, cwd, label, extraEnv = {}) {
  const handle = launch(args, cwd, label, extraEnv);
  let timer;
  const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), commandTimeoutMs); });
  const outcome = await Promise.race([handle.exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    killGroup(handle.pid);
    await handle.exited;
    return { code: null, hung: true, handle };
  }
  return { ...outcome, hung: false, handle };
}

function tail(file, lines = 25) {
  try { return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((line) => `      | ${line}`).join('\n'); } catch { return ''; }
}

// ---- repositories -------------------------------------------------------------------------------

const sha = (data) => createHash('sha256').update(data).digest('hex');
const tryGit = (dir, ...args) => { try { return git(dir, ...args); } catch { return undefined; } };

function configure(dir) {
  for (const [key, value] of [
    ['user.name', 'phasegate torture'], ['user.email', 'torture@phasegate.invalid'], ['commit.gpgsign', 'false'],
    ['tag.gpgsign', 'false'], ['gc.auto', '0'], ['core.hooksPath', '/dev/null'], ['core.autocrlf', 'false'],
  ]) git(dir, 'config', key, value);
}

function planTags(dir) {
  const tags = new Map();
  for (const line of git(dir, 'for-each-ref', '--format=%(refname:short) %(*objectname) %(objectname)', `refs/tags/phasegate/${PLAN}/`).split('\n').filter(Boolean)) {
    const [name] = line.split(' ');
    tags.set(name, git(dir, 'rev-parse', `${name}^{tree}`));
  }
  return tags;
}

const origin = path.join(workspace, 'origin');
const repo = path.join(workspace, 'repo');
const reference = path.join(workspace, 'reference');

function makeOrigin() {
  copyExample('websocket-backend', origin, { plans: [PLAN], hooks: true });
  initRepository(origin);
  // Ignored sentinels need ignore rules; they are part of the project from the start.
  appendFileSync(path.join(origin, '.gitignore'), 'build/\n*.log\n');
  commitAll(origin, 'Example backend before the SSOT remediation');
}

/** One uninterrupted run (twice, with a rollback between) gives the expected tag trees and timings. */
async function referenceRun() {
  git(workspace, 'clone', '--quiet', origin, reference);
  configure(reference);
  const first = await complete(['run', PLAN, '--yes'], reference, 'reference-run');
  if (first.code !== 0) throw new Error(`the uninterrupted reference run failed (exit ${first.code}):\n${tail(first.handle.logFile)}`);
  const trees = planTags(reference);
  const rollback = await complete(['rollback', 'base', '--yes'], reference, 'reference-rollback');
  if (rollback.code !== 0) throw new Error(`the uninterrupted reference rollback failed (exit ${rollback.code}):\n${tail(rollback.handle.logFile)}`);
  const second = await complete(['run', PLAN, '--yes'], reference, 'reference-run-again');
  if (second.code !== 0) throw new Error(`the second reference run failed (exit ${second.code}):\n${tail(second.handle.logFile)}`);
  const again = planTags(reference);
  for (const [name, tree] of trees) {
    if (again.get(name) !== tree) throw new Error(`the plan is not repeatable: ${name} has another tree the second time, so tag trees cannot be compared`);
  }
  rmSync(reference, { recursive: true, force: true });
  return {
    trees,
    runMs: (first.handle.durationMs + second.handle.durationMs) / 2,
    rollbackMs: rollback.handle.durationMs,
  };
}

/** A clone of the origin to torture, on its own (no remote). */
function cloneOrigin(dir) {
  git(workspace, 'clone', '--quiet', origin, dir);
  configure(dir);
  git(dir, 'remote', 'remove', 'origin');
}

/**
 * Plant everything a user might have and phasegate must not touch; returns what to compare.
 * `back`: the branch to check out afterwards (the stash and the other branch are made from it).
 */
function plantSentinels(repo, back = 'main') {
  const files = {
    'notes/todo.txt': 'untracked file in an untracked folder\n',
    'scratch/deep/a.txt': `deeper still, seed ${seed}\n`,
    'build/out.bin': Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256))),
    'debug.log': 'an ignored log file\n',
    'myplans/x.yaml': readFileSync(path.join(ROOT, 'plans', `${PLAN}.yaml`)),
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), content);
  }
  // A stash of a change to a tracked file.
  const stashed = 'netra_backend/app/services/agent_websocket_bridge.py';
  appendFileSync(path.join(repo, stashed), '\n# a change the user stashed\n');
  git(repo, 'stash', 'push', '--quiet', '-m', 'torture sentinel stash', '--', stashed);
  // Another branch with its own commit, and a lightweight tag.
  git(repo, 'checkout', '--quiet', '-b', 'other');
  writeFileSync(path.join(repo, 'OTHER.md'), 'work on another branch\n');
  git(repo, 'add', 'OTHER.md');
  git(repo, 'commit', '--quiet', '--no-verify', '-m', 'work on another branch');
  git(repo, 'checkout', '--quiet', back);
  git(repo, 'tag', 'torture-mark', 'HEAD');
  if (git(repo, 'status', '--porcelain')) {
    // Only the untracked sentinels may show.
    const unexpected = git(repo, 'status', '--porcelain').split('\n').filter((line) => !/^\?\? (notes|scratch|myplans)\/$/.test(line));
    if (unexpected.length) throw new Error(`planting left the tree dirty: ${unexpected.join(', ')}`);
  }
  return {
    files: Object.fromEntries(Object.entries(files).map(([file, content]) => [file, { hash: sha(content), content }])),
    refs: {
      'refs/heads/main': git(repo, 'rev-parse', 'refs/heads/main'),
      'refs/heads/other': git(repo, 'rev-parse', 'refs/heads/other'),
      'refs/tags/torture-mark': git(repo, 'rev-parse', 'refs/tags/torture-mark'),
    },
    stash: git(repo, 'rev-parse', 'refs/stash'),
    stashList: git(repo, 'stash', 'list'),
  };
}

// ---- checks -------------------------------------------------------------------------------------

/** Every sentinel as planted; anything lost is counted, reported, then put back. */
function checkSentinels(sentinels, repo) {
  const lost = [];
  for (const [file, { hash, content }] of Object.entries(sentinels.files)) {
    const full = path.join(repo, file);
    const now = existsSync(full) ? sha(readFileSync(full)) : undefined;
    if (now === hash) continue;
    lost.push(`${file} ${now ? 'changed' : 'missing'}`);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  for (const [ref, commit] of Object.entries(sentinels.refs)) {
    const now = tryGit(repo, 'rev-parse', '--verify', '--quiet', ref);
    if (now === commit) continue;
    lost.push(`${ref} ${now ? `moved to ${now.slice(0, 10)}` : 'deleted'}`);
    git(repo, 'update-ref', ref, commit);
  }
  const stash = tryGit(repo, 'rev-parse', '--verify', '--quiet', 'refs/stash');
  const stashList = tryGit(repo, 'stash', 'list');
  if (stash !== sentinels.stash || stashList !== sentinels.stashList) {
    lost.push(`stash ${stash ? `changed (${stashList})` : 'gone'}`);
    tryGit(repo, 'stash', 'clear');
    git(repo, 'stash', 'store', '-m', 'torture sentinel stash', sentinels.stash);
  }
  return lost;
}

/** Every phasegate tag there is must have the reference run's tree for the same tag. */
function checkTagTrees(expected) {
  const wrong = [];
  for (const [name, tree] of planTags(repo)) {
    if (expected.get(name) !== tree) wrong.push(`${name} tree ${tree.slice(0, 10)} ≠ reference ${expected.get(name)?.slice(0, 10) ?? '(no such tag)'}`);
  }
  return wrong;
}

/** After a completed command: the expected tags, HEAD's tree the last one's, nothing tracked dirty. */
function checkState(expected, lastPhase) {
  const problems = [];
  const tags = planTags(repo);
  const wanted = PHASES.slice(0, PHASES.indexOf(lastPhase) + 1).map(tagName);
  const names = [...tags.keys()].sort();
  if (names.join(' ') !== [...wanted].sort().join(' ')) problems.push(`tags are [${names.join(', ')}], expected [${wanted.join(', ')}]`);
  const head = tryGit(repo, 'rev-parse', 'HEAD^{tree}');
  if (head !== expected.get(tagName(lastPhase))) problems.push(`HEAD's tree ${head?.slice(0, 10)} is not ${tagName(lastPhase)}'s`);
  const branch = tryGit(repo, 'symbolic-ref', '--quiet', '--short', 'HEAD');
  if (branch !== BRANCH) problems.push(`HEAD is on '${branch ?? 'detached'}', expected '${BRANCH}'`);
  const dirty = git(repo, 'status', '--porcelain').split('\n').filter((line) => line && !/^\?\? (notes|scratch|myplans)\//.test(line));
  if (dirty.length) problems.push(`working tree not clean: ${dirty.slice(0, 5).join(', ')}`);
  return problems;
}

/** Processes of a command still alive after it is gone; each is killed after being counted. */
async function leftoverProcesses(handle) {
  // Soon after, so that a short check that outlived phasegate is still seen: a process SIGKILL hit
  // is gone within milliseconds, anything alive half a second later escaped the kill.
  await sleep(200);
  let left = markedProcesses(handle.mark);
  if (left.length === 0) return [];
  await sleep(300);
  left = markedProcesses(handle.mark);
  const described = left.map(describeProcess);
  for (const pid of left) killGroup(pid);
  for (let wait = 0; wait < 50 && markedProcesses(handle.mark).length > 0; wait++) await sleep(100);
  return described;
}

// ---- the loop -----------------------------------------------------------------------------------

const counts = {
  iterations: 0, kills: 0, finishedBeforeKill: 0, recoveredOk: 0, recoveryFailed: 0, hung: 0,
  sentinelsLost: 0, tagTreesWrong: 0, badStates: 0, processesLeft: 0, scratchLeft: 0, staleLocksRemoved: 0,
  // sync only (sync.mjs)
  notAllOrNothing: 0, statusChanged: 0, replayRefsLeft: 0, probes: 0, syncInPlace: 0, syncScratch: 0, syncMore: 0, syncDifferent: 0, syncFailed: 0, syncOnto: 0,
  killLanded: new Map(),
};
const incidents = [];

function incident(iteration, kind, details) {
  incidents.push({ iteration, kind, details });
  log(`  ✖ #${iteration} ${kind}: ${details.join('; ')}`);
}

/**
 * `kill -9` the victim's process group once `moment` comes, unless it has finished by then; count
 * which, and any process that outlived it. True when it finished before the kill.
 */
async function killWhen(victim, moment, number) {
  const finished = await Promise.race([victim.exited.then(() => true), moment.then(() => false)]);
  if (finished) counts.finishedBeforeKill++;
  else {
    killGroup(victim.pid);
    counts.kills++;
  }
  await victim.exited;
  const left = await leftoverProcesses(victim);
  if (left.length) {
    counts.processesLeft += left.length;
    incident(number, 'processes left after kill -9', left);
  }
  return finished;
}

/** Count the recovery commands that hung, and any process that outlived them. */
async function countCompleted(steps, number) {
  for (const step of steps) {
    if (step.hung) counts.hung++;
    const stray = await leftoverProcesses(step.handle);
    if (stray.length) {
      counts.processesLeft += stray.length;
      incident(number, 'processes left after a completed command', stray);
    }
  }
}

/** The newest tag present, in plan order. */
function newestPhase() {
  const tags = planTags(repo);
  return [...PHASES].reverse().find((phase) => tags.has(tagName(phase))) ?? null;
}

async function iteration(number, reference, sentinels) {
  const newest = newestPhase() ?? 'base';
  const index = PHASES.indexOf(newest);
  // A run has nothing to do when every phase is tagged; a rollback needs a tag before the newest.
  const kind = index === 0 ? 'run' : index === PHASES.length - 1 ? 'rollback' : pick(['run', 'rollback']);
  const args = kind === 'run' ? ['run', PLAN, '--yes'] : ['rollback', pick(PHASES.slice(0, index)), '--yes'];
  const finalPhase = kind === 'run' ? PHASES.at(-1) : args[1];
  const typicalMs = kind === 'run' ? reference.runMs : reference.rollbackMs;
  const delayMs = Math.floor(random() * typicalMs);
  verbose(`#${number} phasegate ${args.join(' ')}, kill -9 after ${delayMs} ms`);

  const victim = launch(args, repo, `${number}-${kind}`);
  await killWhen(victim, sleep(delayMs), number);

  // Recovery as a user would do it: look, then the same command again, to completion.
  const status = await complete(['status', PLAN], repo, `${number}-status`);
  const again = await complete(args, repo, `${number}-recover`);
  await countCompleted([status, again], number);
  const state = again.code === 0 && status.code === 0 ? checkState(reference.trees, finalPhase) : [];
  if (status.code !== 0 || again.code !== 0) {
    counts.recoveryFailed++;
    const which = status.code !== 0 ? status : again;
    const lock = existsSync(path.join(repo, '.git', 'index.lock')) ? ' (a .git/index.lock is left from a killed git)' : '';
    incident(number, 'recovery failed', [`phasegate ${status.code !== 0 ? 'status' : args.join(' ')} ${which.hung ? 'hung' : `exited ${which.code}`}${lock}\n${tail(which.handle.logFile)}`]);
  } else if (state.length) {
    counts.badStates++;
    incident(number, 'wrong state after recovery', state);
  } else {
    counts.recoveredOk++;
  }

  const lost = checkSentinels(sentinels, repo);
  if (lost.length) {
    counts.sentinelsLost += lost.length;
    incident(number, 'sentinels lost', lost);
  }
  const leftInTmp = readdirSync(tmp);
  if (leftInTmp.length) {
    counts.scratchLeft += leftInTmp.length;
    incident(number, `temporary folders left in TMPDIR (the killed command was pid ${victim.pid})`, leftInTmp);
    for (const name of leftInTmp) rmSync(path.join(tmp, name), { recursive: true, force: true, maxRetries: 3 });
  }
  const wrong = checkTagTrees(reference.trees);
  if (wrong.length) {
    counts.tagTreesWrong += wrong.length;
    incident(number, 'tag trees wrong', wrong);
  }
  counts.iterations++;
  // A recovery that failed leaves an unknown state: bring it back to a known one for the next round.
  if (status.code !== 0 || again.code !== 0 || state.length) await reset(number);
}

/**
 * Out of a bad state, as a user would get out of it: a git lock file whose git process died with
 * phasegate is removed by hand (phasegate's own advice), then the plan is finished; failing that,
 * the branch starts over from base.
 */
async function reset(number) {
  for (const lock of ['index.lock', 'HEAD.lock']) {
    const file = path.join(repo, '.git', lock);
    if (existsSync(file) && markedProcesses(markPrefix).length === 0) {
      rmSync(file, { force: true });
      counts.staleLocksRemoved++;
      verbose(`#${number} removed a stale .git/${lock} left by a killed git`);
    }
  }
  const retry = await complete(['run', PLAN, '--yes'], repo, `${number}-reset`);
  if (retry.code === 0 && checkState(lastReference.trees, PHASES.at(-1)).length === 0) return;
  verbose(`#${number} forcing a known state`);
  rmSync(path.join(repo, '.git', 'phasegate'), { recursive: true, force: true });
  rmSync(path.join(repo, '.git', 'index.lock'), { force: true });
  tryGit(repo, 'checkout', '--quiet', '--force', BRANCH);
  tryGit(repo, 'reset', '--quiet', '--hard', tagName('base'));
  for (const phase of PHASES.slice(1)) tryGit(repo, 'tag', '-d', tagName(phase));
  const fresh = await complete(['run', PLAN, '--yes'], repo, `${number}-reset-again`);
  if (fresh.code !== 0) throw new Error(`could not bring the repository back to a known state after iteration ${number}:\n${tail(fresh.handle.logFile)}`);
}

let lastReference;
let exitCode = 1;
try {
  const started = performance.now();
  const commands = COMMANDS[options.command];
  log(`phasegate torture (${commands.join(' + ')}): ${iterations} iteration(s) each, seed ${seed}`);
  makeOrigin();
  if (commands.includes('run-rollback')) {
    lastReference = await referenceRun();
    log(`  reference run ${Math.round(lastReference.runMs)} ms, rollback ${Math.round(lastReference.rollbackMs)} ms; ${lastReference.trees.size} tags`);
    cloneOrigin(repo);
    const sentinels = plantSentinels(repo);
    for (let number = 1; number <= iterations; number++) {
      await iteration(number, lastReference, sentinels);
      if (!options.verbose && !options.json && number % 10 === 0) log(`  … ${number}/${iterations}`);
    }
  }
  if (commands.includes('sync')) {
    const { tortureSync } = await import('./sync.mjs');
    await tortureSync({
      workspace, tmp, origin, iterations, random, pick, log, verbose, counts, incident, launch, complete, tail, sleep, killWhen,
      countCompleted, cloneOrigin, plantSentinels, checkSentinels, tryGit, PLAN, BRANCH, PHASES, showProgress: !options.verbose && !options.json,
    });
  }
  const losses = counts.sentinelsLost + counts.tagTreesWrong + counts.processesLeft + counts.recoveryFailed + counts.badStates + counts.hung +
    counts.notAllOrNothing + counts.scratchLeft + counts.replayRefsLeft + counts.statusChanged;
  exitCode = losses === 0 ? 0 : 1;
  if (options.json) {
    console.log(JSON.stringify({ seed, command: options.command, counts: { ...counts, killLanded: Object.fromEntries(counts.killLanded) }, incidents, durationMs: Math.round(performance.now() - started) }));
  } else {
    log(`\ntorture ${exitCode === 0 ? 'passed' : 'FAILED'} in ${Math.round((performance.now() - started) / 1000)} s (seed ${seed}, --command ${options.command})`);
    const rows = [
      ['iterations', counts.iterations], ['kills', counts.kills], ['finished before the kill', counts.finishedBeforeKill],
      ['recovered OK', counts.recoveredOk], ['recovery failed', counts.recoveryFailed], ['wrong state after recovery', counts.badStates],
      ['commands hung (timed out)', counts.hung], ['sentinels lost', counts.sentinelsLost], ['tag trees wrong', counts.tagTreesWrong],
      ['processes left', counts.processesLeft], ['temporary folders left in TMPDIR', counts.scratchLeft],
      ['stale git locks removed by hand', counts.staleLocksRemoved],
    ];
    if (commands.includes('sync')) {
      rows.push(
        ['sync: refs neither all before nor all after', counts.notAllOrNothing], ['sync: status changed something', counts.statusChanged],
        ['sync: sync-replay refs left', counts.replayRefsLeft], ['sync: killed mid-move, a copy recovered by run', counts.probes],
        ['sync: in place / scratch clone', `${counts.syncInPlace} / ${counts.syncScratch}`],
        ['sync: main moved by more / different / failed', `${counts.syncMore} / ${counts.syncDifferent} / ${counts.syncFailed}`],
        ['sync: the base named with --onto', `${counts.syncOnto}`],
      );
    }
    for (const [label, value] of rows) log(`  ${label.padEnd(48)} ${value}`);
    if (commands.includes('sync')) {
      log('  sync kills landed at (the journals after the kill):');
      for (const [where, count] of [...counts.killLanded.entries()].sort()) log(`    ${String(count).padStart(4)}  ${where}`);
    }
  }
} catch (error) {
  console.error(`torture: ${error instanceof Error ? error.message : error}`);
  exitCode = 2;
} finally {
  cleanUp();
}
process.exit(exitCode);
