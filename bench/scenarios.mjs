// What the benchmark runs: the plans (committed into each generated repository under plans/) and
// the raw shell scripts that do the same work with the fastest tools on the machine.
import { CANONICAL_IMPORT } from './generate.mjs';

/** The seed's three deprecated imports as one JavaScript / Perl regex. */
export const IMPORT_RE = String.raw`from netra_backend\.app\.(?:agents\.supervisor|websocket_core|services)\.websocket_notifier import WebSocketNotifier`;
/** The same for `git grep -E` (POSIX ERE has no `(?:`). */
const IMPORT_ERE = IMPORT_RE.replace('(?:', '(');
/** Direct instantiation, never a class statement: what a line-oriented rewrite can do of the codemod. */
const CALL_RE = String.raw`(?<!class )\bWebSocketNotifier\(`;
const FACTORY = 'WebSocketNotifier.create_for_user(';
export const DEPRECATED_GLOB = 'netra_backend/app/**/websocket_notifier.py';

const quote = (text) => `'${text.replace(/'/g, `'\\''`)}'`;
const yamlString = (text) => `'${text.replace(/'/g, "''")}'`;

/**
 * The three-phase plan. `codemod: false` writes phase 2 as a regex `replace` instead: the same
 * line-oriented rewrite as the raw script's perl, which isolates what the syntax tree costs (and
 * stands in for the codemod in builds without it; the run says so).
 */
export function threePhasePlan({ codemod = true, name = 'bench' } = {}) {
  const factoryStep = codemod
    ? [`      - codemod: 'WebSocketNotifier($$$ARGS)'`, `        fix: 'WebSocketNotifier.create_for_user($$$ARGS)'`, '        language: python']
    : [`      - replace: ${yamlString(CALL_RE)}`, `        with: ${yamlString(FACTORY)}`];
  return [
    'version: 1',
    `name: ${name}`,
    'title: WebSocketNotifier SSOT remediation (benchmark)',
    'files: ["**/*.py"]',
    'phases:',
    '  - id: imports',
    '    title: Import path consolidation',
    '    transform:',
    `      - replace: ${yamlString(IMPORT_RE)}`,
    `        with: ${yamlString(CANONICAL_IMPORT)}`,
    `      - rename: ${yamlString(DEPRECATED_GLOB)}`,
    `        to: '{path}.deprecated_backup'`,
    '        missing: ignore',
    '    validate:',
    String.raw`      - forbid: '\.websocket_notifier import'`,
    String.raw`      - count: '^class WebSocketNotifier\b'`,
    '        max: 1',
    '  - id: factory',
    '    title: Factory pattern enforcement',
    '    transform:',
    ...factoryStep,
    '    validate:',
    String.raw`      - forbid: '= WebSocketNotifier\('`,
    '  - id: verify',
    '    title: SSOT compliance',
    '    validate:',
    `      - forbid: ${yamlString(IMPORT_RE)}`,
    String.raw`      - count: '^class WebSocketNotifier\b'`,
    '        max: 1',
    String.raw`      - require: 'WebSocketNotifier\.create_for_user\('`,
    String.raw`      - count: '^from netra_backend\.app\.services\.agent_websocket_bridge import WebSocketNotifier$'`,
    '        min: 1',
    '',
  ].join('\n');
}

/** The codemod rule of the benchmark, as phasegate's plans and ast-grep's CLI both spell it. */
export const CODEMOD_PATTERN = 'WebSocketNotifier($$$ARGS)';
export const CODEMOD_FIX = 'WebSocketNotifier.create_for_user($$$ARGS)';

/** One phase, one `codemod` step, no checks: the step measured against ast-grep's own CLI. */
export function codemodPlan() {
  return [
    'version: 1',
    'name: codemod-only',
    'files: ["**/*.py"]',
    'phases:',
    '  - id: factory',
    '    transform:',
    `      - codemod: ${yamlString(CODEMOD_PATTERN)}`,
    `        fix: ${yamlString(CODEMOD_FIX)}`,
    '        language: python',
    '',
  ].join('\n');
}

/**
 * The issue's raw codemod pipeline: git picks the files that mention the call, ast-grep's CLI
 * (the `@ast-grep/cli` dev dependency, `astGrep` is its path) rewrites them in place.
 */
export function rawCodemodScript(astGrep) {
  return `git grep -lz ${quote('WebSocketNotifier(')} -- '*.py' | xargs -0 -r ${quote(astGrep)} run -p ${quote(CODEMOD_PATTERN)} -r ${quote(CODEMOD_FIX)} -l python -U >/dev/null\n`;
}

/** The checkpoint a phase is measured against: `git add -A && git commit && git tag -a`, and the base tag when asked. */
export function commitAndTagScript(name, { baseTag = false } = {}) {
  return [
    'set -e',
    ...(baseTag ? [`git tag -a -m base raw/${name}/base`] : []),
    'git add -A',
    `git commit -q --no-verify -m ${quote(`${name}: phase`)}`,
    `git tag -a -m phase raw/${name}/phase`,
    '',
  ].join('\n');
}

/** One phase, one `replace` step, no checks. */
export function replacePlan() {
  return [
    'version: 1',
    'name: replace-only',
    'files: ["**/*.py"]',
    'phases:',
    '  - id: imports',
    '    transform:',
    `      - replace: ${yamlString(IMPORT_RE)}`,
    `        with: ${yamlString(CANONICAL_IMPORT)}`,
    '',
  ].join('\n');
}

const rewriteImports = `git grep -lz -E ${quote(IMPORT_ERE)} -- '*.py' | xargs -0 -r perl -pi -e ${quote(`s/${IMPORT_RE}/${CANONICAL_IMPORT}/g`)}`;
const rewriteCalls = `git grep -lz -F ${quote('WebSocketNotifier(')} -- '*.py' | xargs -0 -r perl -pi -e ${quote(`s/${CALL_RE}/${FACTORY}/g`)}`;
// A count check: the number of matching lines, summed over files.
const countLines = (ere) => `$(git grep -h -c -E ${quote(ere)} -- '*.py' | awk '{ n += $1 } END { print n + 0 }')`;
const fail = (what) => `{ echo ${quote(`check failed: ${what}`)} >&2; exit 1; }`;

/** The bare rewrite: what `replace` does, with nothing around it. */
export const RAW_REWRITE = rewriteImports;

/** The replace plan as a script: base tag, rewrite, one commit, one annotated tag. */
export function rawReplaceScript() {
  return [
    'set -e',
    'git tag -a -m base raw/replace-only/base',
    rewriteImports,
    'git add -A',
    "git commit -q --no-verify -m 'replace-only: imports'",
    'git tag -a -m imports raw/replace-only/imports',
    '',
  ].join('\n');
}

/**
 * The three-phase plan as a script: the same rewrites, renames, checks, commits and tags. With
 * `astGrep` (the CLI's path), phase 2 rewrites the calls as the codemod does, with ast-grep's own
 * CLI, instead of perl's line regex: the strongest existing tool doing phasegate's work.
 */
export function rawThreePhaseScript({ astGrep } = {}) {
  return [
    'set -e',
    'git tag -a -m base raw/bench/base',
    '# phase 1: imports',
    rewriteImports,
    `git ls-files -z ${quote(`:(glob)${DEPRECATED_GLOB}`)} | xargs -0 -r -I{} mv {} {}.deprecated_backup`,
    'git add -A',
    "git commit -q --no-verify -m 'bench: Import path consolidation'",
    String.raw`! git grep -q -E '\.websocket_notifier import' -- '*.py' || ` + fail('forbid websocket_notifier import'),
    `[ ${countLines(String.raw`^class WebSocketNotifier\b`)} -le 1 ] || ${fail('count class WebSocketNotifier <= 1')}`,
    'git tag -a -m imports raw/bench/imports',
    '# phase 2: factory',
    astGrep ? rawCodemodScript(astGrep).trimEnd() : rewriteCalls,
    'git add -A',
    "git commit -q --no-verify -m 'bench: Factory pattern enforcement'",
    String.raw`! git grep -q -E '= WebSocketNotifier\(' -- '*.py' || ` + fail('forbid direct instantiation'),
    'git tag -a -m factory raw/bench/factory',
    '# phase 3: verify (checks only; an empty commit and its tag, as phasegate records it)',
    "git commit -q --no-verify --allow-empty -m 'bench: SSOT compliance'",
    `! git grep -q -E ${quote(IMPORT_ERE)} -- '*.py' || ${fail('forbid deprecated imports')}`,
    `[ ${countLines(String.raw`^class WebSocketNotifier\b`)} -le 1 ] || ${fail('count class WebSocketNotifier <= 1')}`,
    String.raw`git grep -q -F 'WebSocketNotifier.create_for_user(' -- '*.py' || ` + fail('require create_for_user'),
    `[ ${countLines(String.raw`^from netra_backend\.app\.services\.agent_websocket_bridge import WebSocketNotifier$`)} -ge 1 ] || ${fail('count canonical imports >= 1')}`,
    'git tag -a -m verify raw/bench/verify',
    '',
  ].join('\n');
}

/**
 * What `main` gains after the migration ran, for the sync scenario: a few new modules written the
 * old way (a deprecated import and a direct instantiation), so the replay has new work in phases 1
 * and 2 (outcome `more`) rather than only re-applying what it already did.
 */
export function movedBaseFiles(count = 5) {
  const files = {};
  for (let index = 0; index < count; index++) {
    const module = ['agents.supervisor', 'websocket_core', 'services'][index % 3];
    files[`netra_backend/app/after_migration/late_${index}.py`] = [
      `from netra_backend.app.${module}.websocket_notifier import WebSocketNotifier`,
      '',
      '',
      `def notify_late_${index}(user_id):`,
      '    notifier = WebSocketNotifier(user_id)',
      '    return notifier',
      '',
    ].join('\n');
  }
  return files;
}
