/**
 * `node test/torture/run.mjs --command sync`: the torture of `phasegate sync` (issue 14) under
 * random `kill -9`, with the same kit as run/rollback (run.mjs: launching in a process group with a
 * marker, leftover processes, sentinels).
 *
 * Set up once: the example migrated with the SSOT plan on its branch, sentinels planted, then
 * `main` moves on — a commit adding a file with the deprecated import (the phases are `more`) and a
 * second one editing a file two phases rewrote (`different`), or, on a side line, a module with a
 * second `class WebSocketNotifier` (the first phase's replay fails its count check: `failed`, and
 * the branch and tags go back as they were, exit 1). Each iteration starts from a copy of
 * that repository, with `main` at one of the two commits and, on most iterations, the migration
 * branch checked out (the replay runs in place; the recorded results of engine/run/recorded-results.ts
 * are written into the user's working tree), on the others `main` or the other branch (the replay
 * runs in a scratch clone). It starts `phasegate sync <plan> --yes` (a quarter of the time with
 * `--onto <that commit>` and `main` left where the migration started), kills its process group at a
 * random moment of the reference sync's duration (a fifth of the time a random moment after its
 * journal says the branch and tags are moving, a fifth after the replay began transforming a phase
 * that takes recorded results: windows too short to hit otherwise), notes where the kill landed (the journals), runs
 * `phasegate status` (which must change nothing), then `phasegate sync <plan> --yes` to completion,
 * and checks:
 *
 *   - right after the kill: the migration branch and every phasegate tag are all as before the sync
 *     or all as after it (a mix is allowed only while the journal says the move was under way, and
 *     then a copy of the repository recovered by `phasegate run` must come out all one or the other);
 *   - after the completing sync (exit 0; 1 for `failed`, which must fail again): branch and tag
 *     trees as an uninterrupted reference sync made them (for `failed`: as before the sync),
 *     HEAD back on the branch checked out before, no tracked file dirty, no journal, no ref under
 *     refs/phasegate/<plan>/sync-replay/, no scratch or temporary folder left in TMPDIR (the
 *     commands run with a TMPDIR of their own), no process left, every sentinel byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git } from '../../examples/lib/example-repo.mjs';

// The plan's name, its branch and its phases in order (base first), from run.mjs.
let PLAN;
let BRANCH;
let PHASES;
/**
 * How long after the aimed-at moment a kill may come: the move, the journal cleared, the summary
 * and the exit take about 20 ms; the transform of a phase with recorded results about 50 ms.
 */
const AIM_MS = { move: 25, 'recorded results': 60 };
/** The SSOT plan's phases whose steps are all replace/codemod: their replay takes recorded results. */
const RECORDED_PHASES = ['factory-pattern', 'interface'];
const pickAim = (draw) => (draw < 0.2 ? 'move' : draw < 0.4 ? 'recorded results' : undefined);
const NEW_FILE = 'netra_backend/app/services/late_notifications.py';
const EDITED_FILE = 'netra_backend/app/websocket_core/handlers.py';
const DUPLICATE_FILE = 'netra_backend/app/legacy/second_notifier.py';
/** Each variant's `main`, and the exit code of its sync. */
const VARIANTS = { more: 0, different: 0, failed: 1 };

export async function tortureSync(kit) {
  const { workspace, iterations, random, pick, log, verbose, counts, incident, launch, complete, tail, sleep } = kit;
  ({ PLAN, BRANCH, PHASES } = kit);
  const { tmp } = kit;
  const probeTmp = path.join(workspace, 'probe-tmp');
  mkdirSync(probeTmp);
  const template = path.join(workspace, 'sync-template');
  const repo = path.join(workspace, 'sync-repo');
  const probe = path.join(workspace, 'sync-probe');

  // ---- the repository every iteration starts from -----------------------------------------------
  kit.cloneOrigin(template);
  const migrated = await kit.complete(['run', PLAN, '--yes'], template, 'sync-setup-run');
  if (migrated.code !== 0) throw new Error(`the migration the sync torture starts from failed (exit ${migrated.code}):\n${tail(migrated.handle.logFile)}`);
  const tips = moveMain(template);
  const sentinels = kit.plantSentinels(template, BRANCH);
  const before = refState(template);

  /** A fresh copy of the template: `main` at the variant's commit (or where it was, for --onto), `checkout` checked out. */
  function prepare(dir, variant, checkout, onto) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    const copied = spawnSync('cp', ['-a', template, dir]);
    if (copied.status !== 0) throw new Error(`cp -a ${template} ${dir} failed: ${copied.stderr}`);
    git(dir, 'update-ref', 'refs/heads/main', onto ? tips.original : tips[variant]);
    if (checkout !== BRANCH) git(dir, 'checkout', '--quiet', checkout);
    // A copy has new inodes: the index is refreshed as it would be in the user's own repository.
    spawnSync('git', ['update-index', '-q', '--refresh'], { cwd: dir });
  }

  // ---- reference syncs, uninterrupted: the expected trees and the durations -----------------------
  const references = {};
  for (const variant of Object.keys(VARIANTS)) {
    references[variant] = {};
    for (const mode of ['in-place', 'scratch']) {
      prepare(repo, variant, mode === 'in-place' ? BRANCH : 'other');
      const synced = await complete(['sync', PLAN, '--yes'], repo, `sync-reference-${variant}-${mode}`);
      if (synced.code !== VARIANTS[variant]) throw new Error(`the uninterrupted reference sync (${variant}, ${mode}) exited ${synced.code}, not ${VARIANTS[variant]}:\n${tail(synced.handle.logFile)}`);
      const output = readFileSync(synced.handle.logFile, 'utf8');
      if (variant === 'failed') {
        if (!/^\s+failed\s/m.test(output)) throw new Error(`the reference sync (failed, ${mode}) shows no 'failed' phase:\n${tail(synced.handle.logFile)}`);
        const differs = compareTrees(before, refState(repo));
        if (differs.length) throw new Error(`a failed sync (${mode}) did not put the branch and tags back: ${differs.join('; ')}`);
        references[variant][mode] = { state: refState(repo), ms: synced.handle.durationMs };
        continue;
      }
      for (const word of variant === 'more' ? ['more'] : ['more', 'different']) {
        if (!new RegExp(`^\\s+${word}\\s`, 'm').test(output)) throw new Error(`the reference sync (${variant}, ${mode}) shows no '${word}' phase:\n${tail(synced.handle.logFile)}`);
      }
      // The path this torture is for: files unchanged since a phase was tagged get its recorded result.
      if (!output.includes('unchanged since the phase was tagged: its recorded result')) throw new Error(`the reference sync (${variant}, ${mode}) took no recorded result:\n${tail(synced.handle.logFile)}`);
      if (mode === 'in-place' && !output.includes('in the working tree')) throw new Error(`the reference sync (${variant}) did not replay in place:\n${tail(synced.handle.logFile)}`);
      if (mode === 'scratch' && !output.includes('in a scratch clone')) throw new Error(`the reference sync (${variant}) did not replay in a scratch clone:\n${tail(synced.handle.logFile)}`);
      references[variant][mode] = { state: refState(repo), ms: synced.handle.durationMs };
    }
    const [inPlace, scratch] = [references[variant]['in-place'].state, references[variant].scratch.state];
    const differs = compareTrees(inPlace, scratch);
    if (differs.length) throw new Error(`a sync in place and one in a scratch clone give different trees (${variant}): ${differs.join('; ')}`);
  }
  log(`  reference sync in place ${ms(references.more['in-place'].ms)} (more), ${ms(references.different['in-place'].ms)} (different); ` +
    `in a scratch clone ${ms(references.more.scratch.ms)}, ${ms(references.different.scratch.ms)}`);

  // ---- the loop ---------------------------------------------------------------------------------
  for (let number = 1; number <= iterations; number++) {
    await iteration(number);
    if (kit.showProgress && number % 10 === 0) log(`  … sync ${number}/${iterations}`);
  }
  rmSync(repo, { recursive: true, force: true, maxRetries: 3 });

  async function iteration(number) {
    const draw = random();
    const variant = draw < 0.2 ? 'failed' : draw < 0.45 ? 'different' : 'more';
    const mode = random() < 1 / 3 ? 'scratch' : 'in-place';
    const checkout = mode === 'in-place' ? BRANCH : pick(['main', 'other']);
    counts[mode === 'in-place' ? 'syncInPlace' : 'syncScratch']++;
    counts[{ more: 'syncMore', different: 'syncDifferent', failed: 'syncFailed' }[variant]]++;
    // A quarter name the new base with --onto, `main` left where the migration started: the same replay.
    const onto = random() < 0.25;
    if (onto) counts.syncOnto++;
    prepare(repo, variant, checkout, onto);
    const reference = references[variant][mode];
    const expectedRefs = { ...sentinels.refs, 'refs/heads/main': onto ? tips.original : tips[variant] };
    // Two moments take a few percent of a sync, too little for a random moment to hit often: the
    // move (the sync's journal says `publish`) and the transform of a phase that takes recorded
    // results (the replay's run journal says `transform`; engine/run/recorded-results.ts writes
    // the tagged blobs then). A fifth of the kills wait for each, then a random moment of AIM_MS.
    // A failed sync fails in its first phase: nothing is moved, no recorded result is taken.
    const aim = variant === 'failed' ? undefined : pickAim(random());
    const aimPhase = pick(RECORDED_PHASES);
    const delayMs = Math.floor(random() * (aim ? AIM_MS[aim] : reference.ms));
    const args = ['sync', PLAN, ...(onto ? ['--onto', tips[variant]] : []), '--yes'];
    verbose(`#${number} sync (${variant}, ${mode}, ${checkout} checked out${onto ? ', --onto' : ''}), kill -9 ${aim ? `${delayMs} ms after the ${aim === 'move' ? 'move' : `transform of ${aimPhase}`} began` : `after ${delayMs} ms`}`);

    const victim = launch(args, repo, `${number}-sync`);
    const moment = aim ? begun(aim, aimPhase, repo, victim).then(() => sleep(delayMs)) : sleep(delayMs);
    const finished = await kit.killWhen(victim, moment, number);

    // Where it landed, and the refs right after: all before or all after, a mix only mid-move.
    const landed = finished ? 'finished before the kill' : whereKilled(repo, victim.pid, reference.state);
    counts.killLanded.set(landed, (counts.killLanded.get(landed) ?? 0) + 1);
    verbose(`#${number} killed: ${landed}`);
    const afterKill = classify(repo, reference.state);
    const moving = journal(repo)?.stage === 'publish';
    if (afterKill.kind === 'mixed' && !moving) {
      counts.notAllOrNothing++;
      incident(number, 'refs neither all before nor all after the sync, and no move under way', afterKill.details);
    }
    if (moving) await probeRecovery(number, reference);

    // Recovery as a user would do it: look (which changes nothing), then sync again, to completion.
    const beforeStatus = everything(repo);
    const status = await complete(['status', PLAN], repo, `${number}-status`);
    const afterStatus = everything(repo);
    if (afterStatus !== beforeStatus) {
      counts.statusChanged++;
      incident(number, 'phasegate status changed the repository', [diffLines(beforeStatus, afterStatus)]);
    }
    const again = await complete(args, repo, `${number}-recover`);
    await kit.countCompleted([status, again], number);
    if (status.code !== 0 || again.code !== VARIANTS[variant]) {
      counts.recoveryFailed++;
      const which = status.code !== 0 ? status : again;
      incident(number, `recovery failed (${variant}, ${mode}, kill landed: ${landed})`, [`phasegate ${status.code !== 0 ? 'status' : args.join(' ')} ${which.hung ? 'hung' : `exited ${which.code}`}\n${tail(which.handle.logFile)}`]);
    } else {
      const problems = finalProblems(repo, reference.state, checkout);
      if (problems.length) {
        counts.badStates++;
        incident(number, `wrong state after the completing sync (${variant}, ${mode}, kill landed: ${landed})`, problems);
      } else counts.recoveredOk++;
    }
    const replayRefs = git(repo, 'for-each-ref', '--format=%(refname)', `refs/phasegate/${PLAN}/sync-replay/`).split('\n').filter(Boolean);
    if (replayRefs.length || existsSync(path.join(repo, '.git', 'phasegate', 'sync-replay'))) {
      counts.replayRefsLeft += Math.max(1, replayRefs.length);
      incident(number, 'the replay\'s refs or journal are left', replayRefs.length ? replayRefs : ['.git/phasegate/sync-replay/']);
    }
    const scratch = readdirSync(tmp);
    if (scratch.length) {
      counts.scratchLeft += scratch.length;
      incident(number, `temporary folders left in TMPDIR (the killed sync was pid ${victim.pid})`, scratch);
      for (const name of scratch) rmSync(path.join(tmp, name), { recursive: true, force: true, maxRetries: 3 });
    }
    const lost = kit.checkSentinels({ ...sentinels, refs: expectedRefs }, repo);
    if (lost.length) {
      counts.sentinelsLost += lost.length;
      incident(number, 'sentinels lost', lost);
    }
    counts.iterations++;
  }

  /** Resolves once the journals say the aimed-at moment has come (or the sync is gone). */
  async function begun(aim, phase, dir, handle) {
    const reached = aim === 'move'
      ? () => journal(dir)?.stage === 'publish'
      : () => { const inner = replayJournal(dir, handle.pid); return inner?.stage === 'transform' && inner.phase === phase; };
    while (handle.alive && !reached()) await sleep(2);
  }

  /** The run journal of the replay: in place under .git/phasegate/sync-replay, else in the scratch clone (named with the pid). */
  function replayJournal(dir, pid) {
    const inPlace = readJson(path.join(dir, '.git', 'phasegate', 'sync-replay', 'journal.json'));
    if (inPlace) return inPlace;
    const clone = readdirSync(tmp).find((name) => name.startsWith(`phasegate-sync-${pid}-`));
    return clone ? readJson(path.join(tmp, clone, 'repo', '.git', 'phasegate', 'journal.json')) : undefined;
  }

  /**
   * The move was under way when the kill came: a copy of the repository, recovered by `run` (which
   * finishes or undoes the sync and has nothing else to do), must have its branch and tags all
   * before or all after. A copy, so that the real repository is recovered by `sync` as a user would.
   */
  async function probeRecovery(number, reference) {
    rmSync(probe, { recursive: true, force: true, maxRetries: 3 });
    spawnSync('cp', ['-a', repo, probe]);
    const recovered = await complete(['run', PLAN, '--yes'], probe, `${number}-probe-run`, { TMPDIR: probeTmp });
    const state = classify(probe, reference.state);
    counts.probes++;
    if (recovered.code !== 0) incident(number, 'the probe recovery (phasegate run on a copy) failed', [`exit ${recovered.code}\n${tail(recovered.handle.logFile)}`]);
    if (state.kind === 'mixed') {
      counts.notAllOrNothing++;
      incident(number, 'after recovering an interrupted move, refs neither all before nor all after the sync', state.details);
    }
    verbose(`#${number} the move was under way; a copy recovered by run: ${state.kind}`);
    rmSync(probe, { recursive: true, force: true, maxRetries: 3 });
    for (const name of readdirSync(probeTmp)) rmSync(path.join(probeTmp, name), { recursive: true, force: true });
  }

  /** Branch and tags: all as `before` (the same objects), all as the reference sync (same trees), or a mix. */
  function classify(dir, after) {
    const now = refState(dir);
    const kinds = new Map();
    const details = [];
    for (const name of new Set([...before.refs.keys(), ...now.refs.keys(), ...after.refs.keys()])) {
      const here = now.refs.get(name);
      const kind = here?.object === before.refs.get(name)?.object ? 'before' : here?.tree === after.refs.get(name)?.tree ? 'after' : 'neither';
      kinds.set(name, kind);
      details.push(`${name}: ${kind}`);
    }
    const all = new Set(kinds.values());
    return { kind: all.size === 1 && !all.has('neither') ? [...all][0] : 'mixed', details };
  }

  function finalProblems(dir, after, checkout) {
    const problems = compareTrees(after, refState(dir));
    const head = kit.tryGit(dir, 'symbolic-ref', '--quiet', '--short', 'HEAD');
    if (head !== checkout) problems.push(`HEAD is on '${head ?? 'detached'}', expected '${checkout}' (checked out before the sync)`);
    const dirty = git(dir, 'status', '--porcelain').split('\n').filter((line) => line && !/^\?\? (notes|scratch|myplans)\//.test(line));
    if (dirty.length) problems.push(`working tree not clean: ${dirty.slice(0, 5).join(', ')}`);
    if (journal(dir)) problems.push(`a journal is left: ${JSON.stringify(journal(dir)).slice(0, 160)}`);
    return problems;
  }

  /** Where the kill landed, from the journals it left (the sync's, and the replay's run journal). */
  function whereKilled(dir, pid, after) {
    const entry = journal(dir);
    if (!entry) {
      if (classify(dir, after).kind === 'after') return 'after the sync (no journal)';
      const own = readdirSync(tmp).some((name) => name.includes(`-${pid}-`));
      return own ? 'no journal yet, scratch clone being made' : 'no journal yet (start, recovery, preflight)';
    }
    if (entry.operation !== 'sync') return `${entry.operation} journal?`;
    if (entry.stage === 'publish') return `publish (moving the branch and tags${entry.inPlace ? ', in place' : ''})`;
    let inner;
    let tagged = [];
    if (entry.stage === 'replay-in-place') {
      inner = readJson(path.join(dir, '.git', 'phasegate', 'sync-replay', 'journal.json'));
      tagged = refNames(dir, `refs/phasegate/${PLAN}/sync-replay/tags/`);
    }
    if (entry.stage === 'replay' && entry.scratch) {
      const clone = path.join(entry.scratch, 'repo');
      inner = readJson(path.join(clone, '.git', 'phasegate', 'journal.json'));
      tagged = existsSync(clone) ? refNames(clone, `refs/tags/phasegate/${PLAN}/`) : [];
    }
    if (inner) return `${entry.stage} / ${inner.phase} ${inner.stage}`;
    // No phase under way: between two phases (the newest replayed tag says which), or before the first.
    const done = PHASES.filter((phase) => tagged.includes(phase)).at(-1);
    return `${entry.stage} / ${done ? `${done} tagged, next phase not begun` : entry.stage === 'replay' ? 'scratch clone ready, nothing replayed yet' : 'switching to the new base, nothing replayed yet'}`;
  }
}

/** `main` moves on: a new file importing the deprecated module (more), then an edit of a file two phases rewrote (different). */
function moveMain(dir) {
  git(dir, 'checkout', '--quiet', 'main');
  const original = git(dir, 'rev-parse', 'HEAD');
  mkdirSync(path.dirname(path.join(dir, NEW_FILE)), { recursive: true });
  writeFileSync(path.join(dir, NEW_FILE), [
    '"""Notifications added on main after the migration started: the deprecated import again."""',
    'from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier',
    '',
    '',
    'def late_notifier(emitter, exec_context):',
    '    return WebSocketNotifier(emitter, exec_context)',
    '',
  ].join('\n'));
  git(dir, 'add', NEW_FILE);
  git(dir, 'commit', '--quiet', '--no-verify', '-m', 'A late notification module, with the old import');
  const more = git(dir, 'rev-parse', 'HEAD');
  appendFileSync(path.join(dir, EDITED_FILE), [
    '',
    '',
    'async def handle_typing(manager, message, *, user_id):',
    '    exec_context = UserExecutionContext(user_id=user_id, thread_id=message.get("thread_id", "thread-1"))',
    '    notifier = WebSocketNotifier(manager.emitter_for(user_id), exec_context)',
    '    await notifier.send_agent_thinking(exec_context, "typing")',
    '    return {"type": "typing"}',
    '',
  ].join('\n'));
  git(dir, 'commit', '--quiet', '--no-verify', '-am', 'Typing indicator, written the old way');
  const different = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '--quiet', '--detach', more);
  mkdirSync(path.dirname(path.join(dir, DUPLICATE_FILE)), { recursive: true });
  writeFileSync(path.join(dir, DUPLICATE_FILE), ['"A second notifier, written on main: the plan allows one."', '', '', 'class WebSocketNotifier:', '    pass', ''].join('\n'));
  git(dir, 'add', DUPLICATE_FILE);
  git(dir, 'commit', '--quiet', '--no-verify', '-m', 'A second WebSocketNotifier class');
  const failed = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '--quiet', BRANCH);
  git(dir, 'update-ref', 'refs/heads/main', more);
  return { original, more, different, failed };
}

/** The migration branch and every phasegate tag of the plan: object and tree. */
function refState(dir) {
  const refs = new Map();
  const lines = git(dir, 'for-each-ref', '--format=%(refname) %(objectname)', `refs/tags/phasegate/${PLAN}/`, `refs/heads/${BRANCH}`).split('\n').filter(Boolean);
  for (const line of lines) {
    const [name, object] = line.split(' ');
    refs.set(name, { object, tree: git(dir, 'rev-parse', `${name}^{tree}`) });
  }
  return { refs };
}

function compareTrees(expected, actual) {
  const problems = [];
  for (const name of new Set([...expected.refs.keys(), ...actual.refs.keys()])) {
    const [want, got] = [expected.refs.get(name)?.tree, actual.refs.get(name)?.tree];
    if (want !== got) problems.push(`${name} tree ${got?.slice(0, 10) ?? '(missing)'} ≠ reference ${want?.slice(0, 10) ?? '(no such ref)'}`);
  }
  return problems;
}

/** The last path component of each ref under `prefix`. */
function refNames(dir, prefix) {
  const out = spawnSync('git', ['for-each-ref', '--format=%(refname)', prefix], { cwd: dir, encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).map((ref) => ref.slice(ref.lastIndexOf('/') + 1));
}

function journal(dir) {
  return readJson(path.join(dir, '.git', 'phasegate', 'journal.json'));
}

function readJson(file) {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch { return undefined; }
}

/** Every ref, HEAD, the index and the working tree's status: what `status` must leave as it found it. */
function everything(dir) {
  const refs = git(dir, 'for-each-ref', '--format=%(refname) %(objectname)');
  const head = spawnSync('git', ['rev-parse', '--symbolic-full-name', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
  const status = git(dir, 'status', '--porcelain', '--ignored', '-uall');
  const index = spawnSync('git', ['ls-files', '-s'], { cwd: dir, encoding: 'utf8' }).stdout;
  return [`HEAD ${head}`, refs, status, index].join('\n');
}

function diffLines(a, b) {
  const [left, right] = [new Set(a.split('\n')), new Set(b.split('\n'))];
  return [...[...left].filter((line) => !right.has(line)).map((line) => `- ${line}`), ...[...right].filter((line) => !left.has(line)).map((line) => `+ ${line}`)].slice(0, 12).join('\n');
}

const ms = (value) => `${Math.round(value)} ms`;
