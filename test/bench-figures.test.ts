import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { END, START, withFigures } from '../bench/readme.mjs';
import { codemodPlan, commitAndTagScript, rawCodemodScript } from '../bench/scenarios.mjs';
import { formatFigures, growth, rowsFor } from '../bench/table.mjs';

/** A side measured `runs` times (ms), with optional parts (stepMs, overheadMs, …) per run. */
function side(runs: number[], parts: Record<string, number[]> = {}) {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const extra = Object.fromEntries(Object.entries(parts).flatMap(([name, values]) => [[`${name}Ms`, median(values)], [`${name}Runs`, values]]));
  return { ms: median(runs), runs, rssKB: 100_000, maxRssKB: 120_000, ...extra };
}

/**
 * What run.mjs measures at one size, with phasegate's times scaled by `scale` and the files
 * changed by `changedScale`: the growth statements compare the two.
 */
function measured(scale: number, changedScale: number, { overheadMs = 400, differing = 0 } = {}) {
  const s = (values: number[]) => values.map((value) => value * scale);
  return {
    three: { phasegate: side(s([2000, 2100, 2050])), raw: side([1000, 1000, 1000]) },
    replace: {
      phasegate: side(s([900, 950, 920]), { step: s([300, 310, 305]), overhead: [overheadMs, overheadMs, overheadMs], inPhaseOverhead: [150, 150, 150] }),
      rawRewrite: side([250, 250, 250]), rawCommit: side([800, 800, 800]), commitOnly: side([200, 200, 200]),
    },
    codemod: { phasegate: side(s([1500, 1500, 1500]), { step: s([1100, 1100, 1100]) }), cli: side([1000, 1000, 1000], { whole: [1300, 1300, 1300] }), diff: { differing, cliFiles: 500 * changedScale } },
    rollback: { phasegate: side([500, 500, 500]), raw: side([300, 300, 300]) },
    startup: { node: side([80, 80, 80]), version: side([90, 90, 90]), status: side([150, 150, 150]) },
    sync: { sync: side(s([3000, 3000, 3000])), run: side(s([2900, 2900, 2900])) },
    filesChanged: { three: 520 * changedScale, replace: 500 * changedScale, codemod: 500 * changedScale },
  };
}

function results(sizes: { files: number; m: ReturnType<typeof measured> }[]) {
  return {
    startedAt: '2026-11-29T23:00:00.000Z', phasegate: { commit: 'abc1234' },
    machine: { node: 'v20', git: 'git version 2.39', cpus: 2, loadavg: [3, 3, 3], loadavgAfter: [4, 4, 4] },
    method: { runs: 3, syncRuns: 3, startupRuns: 3, meter: 'test' },
    sizes: sizes.map(({ files, m }) => ({ files, notes: [], rows: rowsFor(files, m) })),
  };
}

describe('benchmark figures (issue 15)', () => {
  it("prints the six figures with their targets, one column a size, and a verdict judged at the target's sizes", () => {
    const text = formatFigures(results([
      { files: 2000, m: measured(1, 1) },
      { files: 20000, m: measured(10, 10, { overheadMs: 600, differing: 3 }) },
    ]));
    const figuresTable = text.split('\n\n')[0];
    expect(figuresTable).toContain('| # | figure | target | 2,000 files | 20,000 files | verdict |');
    const row = (figure: string) => figuresTable.split('\n').filter((line) => line.startsWith(`| ${figure} |`));
    // 1: overhead 400 − 200 at 2,000 (met), 600 − 200 at 20,000 (missed): judged at both sizes.
    expect(row('1')[0]).toContain('≤ +0.30 s at 2,000 and 20,000');
    expect(row('1')[0]).toMatch(/\+0\.20 s .*\+0\.40 s .*\*\*missed\*\*/);
    expect(row('2')[0]).toMatch(/≤ 1\.15×/);
    // 3: the step ratio, and the count of files rewritten differently from the CLI (target 0).
    expect(row('3')[0]).toMatch(/≤ 1\.2× \| 1\.10× .* \| 11\.00× .*\*\*missed\*\*/);
    expect(row('3')[1]).toMatch(/\| 0 \| 0 of 500 \| 3 of 5,000 \| \*\*missed\*\* \|$/);
    expect(row('4')[0]).toMatch(/≤ \+0\.30 s \| \+0\.20 s .*\*\*met\*\*/);
    expect(row('5')[0]).toMatch(/seed plan.*≤ 1\.3×/);
    expect(row('6')[0]).toMatch(/growth/);
    expect(row('sync')[0]).toMatch(/≤ 1\.1×/);
  });

  it('states per figure whether its cost per changed file stays flat, and flags one that grows faster', () => {
    // Times ×10 for files changed ×10: linear. Times ×30 for ×10: faster than the files changed.
    const linear = growth(results([{ files: 2000, m: measured(1, 1) }, { files: 20000, m: measured(10, 10) }]));
    expect(linear.met).toBe(true);
    expect(linear.statements.map((s) => s.id)).toEqual(expect.arrayContaining(['overhead', 'replace-run', 'codemod-step', 'rollback', 'three-phase', 'sync']));
    expect(linear.statements.find((s) => s.id === 'replace-run')?.text).toMatch(/files changed ×10\.0, time ×10\.0.*linear in the files changed/);
    expect(linear.statements.find((s) => s.id === 'overhead')?.text).toMatch(/slower than the files changed/);

    const faster = growth(results([{ files: 2000, m: measured(1, 1) }, { files: 20000, m: measured(30, 10) }]));
    expect(faster.met).toBe(false);
    expect(faster.statements.find((s) => s.id === 'codemod-step')?.text).toMatch(/time ×30\.0.*faster than the files changed/);
    expect(formatFigures(results([{ files: 2000, m: measured(1, 1) }, { files: 20000, m: measured(30, 10) }]))).toMatch(/\| 6 \| growth.*\*\*missed\*\* \|/);
  });

  it('--update-readme replaces only what is between the markers, and bench/README.md has them', () => {
    const text = `before\n${START}\nold table\n${END}\nafter\n`;
    expect(withFigures(text, 'new table')).toBe(`before\n${START}\nnew table\n${END}\nafter\n`);
    expect(() => withFigures('no markers', 'x')).toThrow(/markers/);
    const readme = readFileSync(new URL('../bench/README.md', import.meta.url), 'utf8');
    expect(readme.indexOf(START)).toBeGreaterThan(0);
    expect(readme.indexOf(END)).toBeGreaterThan(readme.indexOf(START));
  });

  it("the codemod figure runs the issue's CLI pipeline with the plan's rule, and the checkpoint is add, commit, tag", () => {
    const plan = codemodPlan();
    const script = rawCodemodScript('/x/node_modules/.bin/ast-grep');
    expect(plan).toContain("codemod: 'WebSocketNotifier($$$ARGS)'");
    expect(plan).toContain("fix: 'WebSocketNotifier.create_for_user($$$ARGS)'");
    expect(script).toMatch(/^git grep -lz 'WebSocketNotifier\(' -- '\*\.py' \| xargs -0 -r '\/x\/node_modules\/\.bin\/ast-grep' run -p 'WebSocketNotifier\(\$\$\$ARGS\)' -r 'WebSocketNotifier\.create_for_user\(\$\$\$ARGS\)' -l python -U/);
    expect(commitAndTagScript('c').split('\n').filter((line) => line.startsWith('git'))).toEqual([
      'git add -A', "git commit -q --no-verify -m 'c: phase'", 'git tag -a -m phase raw/c/phase',
    ]);
  });
});
