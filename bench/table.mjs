// The rows of the benchmark: issue 15's six figures (and the sync figure of issue 14), each a
// phasegate measurement against its baseline with the issue's target, then the other figures kept
// from issue 7. Printed as Markdown, ready to paste into bench/README.md.

/** Targets hold at this size (issues 7, 14, 15); other sizes show the trend. */
export const TARGET_SIZE = 20000;
const MB = 1024;
/** Noise allowed before a figure counts as growing faster than the files it changed. */
const GROWTH_TOLERANCE = 1.1;

/**
 * A row's result is the median over iterations of each iteration's ratio (or difference): both
 * sides of an iteration ran back to back, so load that comes and goes on a shared machine hits both.
 * The ratio of the two medians is kept alongside (`ofMedians`). Rows whose sides ran in different
 * scenarios can only compare medians.
 */
function paired(pg, base, combine) {
  if (!pg.runs?.length || pg.runs.length !== base.runs?.length) return null;
  return median(pg.runs.map((value, index) => combine(value, base.runs[index])));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One measured part of a side (its step, its orchestration, …) as a side of its own. */
function part(side, name) {
  if (side?.[`${name}Ms`] === undefined || side[`${name}Ms`] === null) return undefined;
  return { ...side, ms: side[`${name}Ms`], runs: side[`${name}Runs`] };
}

/**
 * The rows at one size. `figure` numbers the rows issue 15 sets targets for (`sync` is issue 14's);
 * `changed` is how many files the phasegate side changed, for the growth statements; `at` lists
 * the sizes the target is judged at (default: TARGET_SIZE).
 */
export function rowsFor(files, m) {
  const rows = [];
  const push = (row) => rows.push(row);
  const ratio = (row, pg, base, { pair = true } = {}) => {
    if (pg?.ms == null || base?.ms == null) return;
    const ofMedians = pg.ms / base.ms;
    const value = (pair ? paired(pg, base, (a, b) => a / b) : null) ?? ofMedians;
    push({ ...row, kind: 'ratio', phasegate: pg, baseline: base, value, ofMedians, statistic: pair ? 'paired median' : 'ratio of medians' });
  };
  const difference = (row, pg, base) => {
    if (pg?.ms == null || base?.ms == null) return;
    push({ ...row, kind: 'difference', phasegate: pg, baseline: base, value: paired(pg, base, (a, b) => a - b) ?? pg.ms - base.ms, ofMedians: pg.ms - base.ms, statistic: 'paired median' });
  };
  const changed = m.filesChanged ?? {};
  const replacePg = m.replace?.phasegate;
  const seed = m.replace?.seed;

  difference({ id: 'overhead', figure: '1', label: 'orchestration overhead of a phase, against `git add -A && git commit && git tag -a`', target: { maxMs: 300 }, at: [2000, TARGET_SIZE], changed: changed.replace,
    includes: 'the one-phase replace run as a whole process minus its step and checks (their durationMs in the --report JSON): node start, safety checks, lock, base tag, commit, changed-file list, tag, journal, report; against the same change (made beforehand, not timed) checkpointed by `git add -A && git commit -q && git tag -a`' },
  part(replacePg, 'overhead'), m.replace?.commitOnly);
  ratio({ id: 'replace-run', figure: '2', label: 'whole replace phase vs `git grep -lz | xargs -0 perl -pi` + commit + tag', target: { max: 1.15 }, changed: changed.replace,
    includes: 'both whole processes: base tag, rewrite, `git add -A` + commit, annotated tag; phasegate also node start-up, dirty-tree check, lock, journal, report and its changed-file list' },
  replacePg, m.replace?.rawCommit);
  ratio({ id: 'codemod-step', figure: '3', label: 'codemod step vs `git grep -lz | xargs -0 ast-grep run -U` (CLI 0.51.1)', target: { max: 1.2 }, changed: changed.codemod,
    includes: "phasegate: the codemod step's durationMs in the --report of a one-phase plan (`WebSocketNotifier($$$ARGS)` → `WebSocketNotifier.create_for_user($$$ARGS)`); CLI: a process running `git grep -lz 'WebSocketNotifier(' -- '*.py' | xargs -0 ast-grep run -p … -r … -l python -U`" },
  part(m.codemod?.phasegate, 'step'), m.codemod?.cli);
  if (m.codemod?.diff) {
    push({ id: 'codemod-diff', figure: '3', label: "files rewritten differently from ast-grep's CLI", kind: 'count', value: m.codemod.diff.differing, of: m.codemod.diff.cliFiles, target: { maxCount: 0 },
      includes: "the trees both sides committed in the first run, compared with git diff --name-only (the count, then how many files the CLI rewrote)" });
  }
  if (m.rollback?.phasegate?.ms != null) {
    difference({ id: 'rollback', figure: '4', label: 'rollback base vs `git reset --hard`', target: { maxMs: 300 }, changed: changed.three,
      includes: 'from the three-phase end state: phasegate rollback base --yes (reset, clean, tree check, undone refs, tag deletion) vs git reset -q --hard <base tag>' },
    m.rollback.phasegate, m.rollback.raw);
  }
  ratio({ id: 'three-phase', figure: '5', label: "three-phase seed plan (codemod phase) vs the seed's steps as a script", target: { max: 1.3 }, changed: changed.three,
    includes: "phasegate run of the seed's plan (import rewrite + rename of the deprecated modules; the codemod; a checks-only phase) vs sh doing the same with git grep | perl, mv, git grep checks, git add/commit, git tag -a (same final tree); phasegate also: dirty-tree check, lock, journal, \"before\" counts, changed-file list, report" },
  m.three?.phasegate, m.three?.raw);
  ratio({ id: 'sync', figure: 'sync', label: 'sync (main moved) vs fresh run on it (issue 14)', target: { max: 1.1 }, changed: changed.three,
    includes: 'from the three-phase branch after main gained a commit of new modules with the old import: phasegate sync --yes with the migration branch checked out (replay in the working tree on a detached HEAD at the new base, of the 3 tagged phases from their recorded plans — the codemod phase takes its tagged result for the files unchanged since and transforms the 5 new ones; the replace + rename phase is re-applied in full — checks, commits, tags moved, old ones kept) vs phasegate run --yes on a new migration branch from the same commit (same final tree)' },
  m.sync?.sync, m.sync?.run);

  // Other figures: no issue-15 target; parts of the figures above, and issue 7's rows.
  difference({ id: 'overhead-in-phase', label: 'the same overhead counted inside the phase only', target: null,
    includes: "the phase's own duration in the report minus its step and checks (no node start, preflight or base tag), against the same git add + commit + tag" },
  part(replacePg, 'inPhaseOverhead'), m.replace?.commitOnly);
  ratio({ id: 'codemod-run', label: 'whole codemod phase vs the CLI pipeline + base tag, commit, tag', target: null,
    includes: 'the one-phase codemod run as a whole process vs the CLI pipeline plus `git tag -a` (base), `git add -A`, `git commit`, `git tag -a`' },
  m.codemod?.phasegate, part(m.codemod?.cli, 'whole'));
  if (m.rollback?.rawParallel?.ms != null) {
    difference({ id: 'rollback-parallel', label: 'rollback base vs `git -c checkout.workers=0 reset --hard`', target: null,
      includes: "figure 4 against git's parallel checkout (a worker per core), which phasegate's own reset uses: the strongest plain git doing the same work" },
    m.rollback.phasegate, m.rollback.rawParallel);
  }
  if (m.three?.rawCli) {
    ratio({ id: 'three-phase-cli', label: "three-phase seed plan vs the same script with ast-grep's CLI as phase 2's rewrite", target: null,
      includes: "the script of figure 5 with phase 2 rewritten by `git grep -lz | xargs -0 ast-grep run -U` (the codemod's rule) instead of perl: the strongest existing tool doing the same work, so only orchestration differs" },
    m.three.phasegate, m.three.rawCli);
    ratio({ id: 'three-phase-floor', label: "figure 5's floor: the script with ast-grep's CLI vs the same script with perl", target: null,
      includes: "no phasegate: what parsing phase 2's candidate files costs any tool that rewrites by syntax tree, as a ratio of figure 5's baseline; at or above 1.3, figure 5's target is below what ast-grep's own CLI needs" },
    m.three.rawCli, m.three.raw);
  }
  if (m.three?.seedScripts) {
    ratio({ id: 'three-phase-seed-scripts', label: "three-phase seed plan vs the seed's Scripts 1–3 as written", target: null,
      includes: "python3 running the seed's Script 1 (imports), 2 (factory regex) and 3 (compliance report) unchanged: no rename, no commits, no tags; its regex rewrites multi-line calls differently, so the trees are not compared" },
    m.three.phasegate, m.three.seedScripts);
  }
  if (m.three?.phasegateRegex) {
    ratio({ id: 'three-phase-regex', label: 'three-phase run (phase 2 as regex) vs raw script', target: { max: 1.15 },
      includes: 'the same plan with phase 2 as a regex replace: the same rewrite the script does with perl, so only orchestration differs (issue 7)' },
    m.three.phasegateRegex, m.three.raw);
    ratio({ id: 'codemod-vs-regex', label: 'codemod step vs regex replace step', target: null,
      includes: "durationMs of phase 2's step from each three-phase run's report: the same rewrite by syntax tree and by regex" },
    part(m.three.phasegate, 'step'), part(m.three.phasegateRegex, 'step'));
  }
  ratio({ id: 'replace-step', label: 'replace step vs raw rewrite', target: { max: 1.2 },
    includes: "the step's durationMs from the --report JSON vs a process running git grep -lz -E | xargs -0 perl -pi (issue 7)" },
  part(replacePg, 'step'), m.replace?.rawRewrite);
  if (seed) {
    ratio({ id: 'replace-step-seed', label: 'replace step vs seed script 1', target: { max: 1, strict: true },
      includes: "seed: python3 (no pyenv shim) running the seed's Script 1 as written; no commit" }, part(replacePg, 'step'), seed);
  }
  ratio({ id: 'version', label: '`--version` vs `node -e 0`', target: { max: 1.6 }, includes: 'whole processes' }, m.startup?.version, m.startup?.node);
  ratio({ id: 'status', label: '`status` vs `node -e 0`', target: { max: 3 }, includes: 'whole processes; status in this repository after the three-phase run' }, m.startup?.status, m.startup?.node);
  const sides = [m.three?.phasegate, m.three?.phasegateRegex, replacePg, m.codemod?.phasegate, m.rollback?.phasegate, m.startup?.version, m.startup?.status, m.sync?.sync, m.sync?.run];
  const peak = Math.max(...sides.map((s) => s?.maxRssKB ?? 0));
  push({ id: 'rss', label: 'peak RSS of any phasegate run', kind: 'memory', value: peak || null, target: { maxKB: 250 * MB },
    includes: 'largest resident set of a phasegate process or any process it waited for, over every run above' });
  for (const row of rows) row.passed = verdict(row);
  return rows;
}

function verdict(row) {
  if (!row.target || row.value === null || row.value === undefined || Number.isNaN(row.value)) return null;
  if (row.target.max !== undefined) return row.target.strict ? row.value < row.target.max : row.value <= row.target.max;
  if (row.target.maxMs !== undefined) return row.value <= row.target.maxMs;
  if (row.target.maxKB !== undefined) return row.value <= row.target.maxKB;
  if (row.target.maxCount !== undefined) return row.value <= row.target.maxCount;
  return null;
}

const thousands = (n) => n.toLocaleString('en-US');
const seconds = (ms) => (ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const signedSeconds = (ms) => `${ms >= 0 ? '+' : '−'}${seconds(Math.abs(ms))}`;
const megabytes = (kb) => (kb ? `${Math.round(kb / MB)} MB` : '—');

function targetText(row) {
  if (!row.target) return 'info';
  const at = row.at ? ` at ${row.at.map(thousands).join(' and ')}` : '';
  if (row.target.max !== undefined) return `${row.target.strict ? '<' : '≤'} ${row.target.max}×${at}`;
  if (row.target.maxMs !== undefined) return `≤ +${seconds(row.target.maxMs)}${at}`;
  if (row.target.maxCount !== undefined) return `${row.target.maxCount}`;
  return `≤ ${Math.round(row.target.maxKB / MB)} MB`;
}

/** One cell: the result, then what it compares. */
function cellText(row) {
  if (!row) return '—';
  if (row.kind === 'ratio') return `${row.value.toFixed(2)}× (${seconds(row.phasegate.ms)} / ${seconds(row.baseline.ms)})`;
  if (row.kind === 'difference') return `${signedSeconds(row.value)} (${seconds(row.phasegate.ms)} vs ${seconds(row.baseline.ms)})`;
  if (row.kind === 'count') return `${row.value} of ${thousands(row.of)}`;
  return megabytes(row.value);
}

/** met / missed over the sizes the target is judged at; the sizes not measured are named. */
function verdictText(rowsBySize, sizes) {
  const any = rowsBySize.find(Boolean);
  if (!any?.target) return '';
  const judged = any.at ?? (any.kind === 'memory' ? sizes : [TARGET_SIZE]);
  const missing = judged.filter((size) => !sizes.includes(size));
  const results = sizes.map((size, index) => (judged.includes(size) ? rowsBySize[index]?.passed : undefined)).filter((passed) => passed !== undefined);
  if (results.length === 0 || results.includes(null)) return `not measured at ${judged.map(thousands).join(', ')}`;
  const text = results.every(Boolean) ? '**met**' : '**missed**';
  return missing.length ? `${text} (not measured at ${missing.map(thousands).join(', ')})` : text;
}

/**
 * Figure 6: for each figure, phasegate's cost per changed file from one size to the next. Linear
 * growth keeps it constant; "faster than the files changed" means it rose by more than the noise.
 */
export function growth(results) {
  const sizes = results.sizes.map((size) => size.files);
  const statements = [];
  for (const id of ['overhead', 'replace-run', 'codemod-step', 'rollback', 'three-phase', 'sync']) {
    const points = results.sizes.map((size) => {
      const row = size.rows.find((r) => r.id === id);
      return row && row.changed ? { files: size.files, changed: row.changed, ms: row.phasegate.ms, label: row.label, figure: row.figure } : undefined;
    });
    const measured = points.filter(Boolean);
    if (measured.length < 2) continue;
    const steps = [];
    let faster = false;
    for (let i = 1; i < measured.length; i++) {
      const [a, b] = [measured[i - 1], measured[i]];
      const perFile = (p) => p.ms / p.changed;
      const factor = perFile(b) / perFile(a);
      const changedFactor = b.changed / a.changed;
      const timeFactor = b.ms / a.ms;
      const kind = factor > GROWTH_TOLERANCE ? 'faster than the files changed' : factor < 1 / GROWTH_TOLERANCE ? 'slower than the files changed' : 'linear in the files changed';
      if (factor > GROWTH_TOLERANCE) faster = true;
      steps.push({ to: b.files, faster: factor > GROWTH_TOLERANCE,
        text: `${thousands(a.files)} → ${thousands(b.files)} files: files changed ×${changedFactor.toFixed(1)}, time ×${timeFactor.toFixed(1)}, per changed file ${perFile(a).toFixed(2)} → ${perFile(b).toFixed(2)} ms (×${factor.toFixed(2)}): ${kind}` });
    }
    statements.push({ id, figure: measured[0].figure, label: measured[0].label, linear: !faster, steps, text: steps.map((step) => step.text).join('; ') });
  }
  return { sizes, statements, met: statements.length ? statements.every((s) => s.linear) : null };
}

function markdownTable(header, lines) {
  const escape = (cell) => String(cell).replace(/\|/g, '\\|');
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...lines.map((line) => `| ${line.map(escape).join(' | ')} |`)].join('\n');
}

/** The figures table and the growth statements: what bench/README.md shows between its markers. */
export function formatFigures(results) {
  const sizes = results.sizes.map((size) => size.files);
  const header = ['#', 'figure', 'target', ...sizes.map((files) => `${thousands(files)} files`), 'verdict'];
  const ids = [...new Set(results.sizes.flatMap((size) => size.rows.map((row) => row.id)))];
  const line = (id) => {
    const bySize = results.sizes.map((size) => size.rows.find((row) => row.id === id));
    const any = bySize.find(Boolean);
    return [any.figure ?? '', any.label, targetText(any), ...bySize.map(cellText), verdictText(bySize, sizes)];
  };
  const figures = ids.filter((id) => results.sizes.some((size) => size.rows.find((row) => row.id === id)?.figure));
  const others = ids.filter((id) => !figures.includes(id));
  const grown = growth(results);
  const growthCells = sizes.map((files, index) => {
    if (index === 0) return '—';
    const reaching = grown.statements.flatMap((statement) => statement.steps.filter((step) => step.to === files));
    const held = reaching.filter((step) => !step.faster).length;
    return reaching.length ? `${held} of ${reaching.length} no faster than linear` : '—';
  });
  const figureLines = figures.map(line);
  // Figure 6 after 5, before issue 14's sync row.
  const at = figureLines.findIndex((cells) => cells[0] === 'sync');
  const growthLine = ['6', 'growth: nothing grows faster than the files changed', 'per changed file', ...growthCells,
    grown.met === null ? 'needs two sizes' : grown.met ? '**met**' : '**missed**'];
  figureLines.splice(at < 0 ? figureLines.length : at, 0, growthLine);
  const out = [markdownTable(header, figureLines), '', 'Growth (figure 6), phasegate\'s side of each figure:', ''];
  for (const statement of grown.statements) out.push(`- ${statement.figure}. ${statement.label}: ${statement.text}`);
  if (!grown.statements.length) out.push('- (one size measured: run two or more sizes)');
  out.push('', 'Other figures:', '', markdownTable(header, others.map(line)));
  const { machine, method } = results;
  out.push('', `${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, phasegate ${results.phasegate.commit ?? '?'}; medians of ${results.sizes.map((size) => `${size.runs ?? method.runs}${size.threeRuns !== undefined && size.threeRuns !== size.runs ? ` (three-phase ${size.threeRuns})` : ''} (${thousands(size.files)})`).join(', ')} paired runs (sync ${method.syncRuns}, start-up ${method.startupRuns}); `
    + `${machine.cpus} cpus, node ${machine.node}, ${machine.git}; load ${machine.loadavg.map((v) => v.toFixed(1)).join(' ')} → ${(machine.loadavgAfter ?? machine.loadavg).map((v) => v.toFixed(1)).join(' ')}`
    + (results.durationMs ? `; the bench took ${(results.durationMs / 60000).toFixed(1)} min` : ''));
  return out.join('\n');
}

export function formatTable(results) {
  const out = [formatFigures(results), '',
    'A result is the median of the per-run ratios (differences) of runs made back to back, alternating which side goes first; the two medians follow in brackets.',
    `Targets apply at ${thousands(TARGET_SIZE)} files unless the target names the sizes; peak RSS by ${results.method.meter}.`, '', 'What each side includes:'];
  for (const row of results.sizes.at(-1)?.rows ?? []) out.push(`  ${row.figure ? `${row.figure}. ` : ''}${row.label}: ${row.includes}`);
  const notes = [...new Set(results.sizes.flatMap((size) => size.notes))];
  if (notes.length) out.push('', 'Notes:', ...notes.map((note) => `  ${note}`));
  return out.join('\n');
}
