import { describe, expect, it } from 'vitest';
import { makeRepo, type TestRepo } from './helpers/repo.js';
import { Terminal } from './helpers/tmux.js';

/**
 * Guided screens in a real terminal (tmux) tell the truth (issue 12, item 6): nothing spins while
 * phasegate waits for the person, the review shows each step's own change, and a phase with no
 * transform has no change to review.
 */
const header = 'version: 1\nname: demo\ntitle: Demo\nfiles: ["**/*.py"]\nphases:\n';
const START = '❯ Start on a new migration branch phasegate/demo';
const REVIEW = /changed[\s\S]*❯ Go on to the checks/;
const PASSED = '❯ Go on with the next phase';
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

function repoWith(phases: string, files: Record<string, string>): TestRepo {
  return makeRepo({ ...files, 'plans/demo.yaml': header + phases });
}

async function started(repo: TestRepo): Promise<Terminal> {
  const term = new Terminal(['run', 'demo'], { cwd: repo.dir });
  await term.waitFor(START);
  term.keys('Enter');
  return term;
}

/** The screen line that contains `text`. */
const lineWith = (screen: string, text: string) => screen.split('\n').find((line) => line.includes(text)) ?? `(no line with ${text})`;

/** The line twice, more than a spinner tick (250 ms) apart: a waiting task's line stands still. */
async function stillLine(term: Terminal, text: string): Promise<string> {
  const first = lineWith(term.screen(), text);
  await new Promise((resolve) => setTimeout(resolve, 700));
  const second = lineWith(term.screen(), text);
  expect(second, 'the line changed while phasegate waited for an answer').toBe(first);
  return first;
}

const twoPhases = `  - id: one
    transform:
      - replace: 'old'
        with: 'new'
    validate:
      - forbid: 'old'
  - id: two
    validate:
      - forbid: 'old'
`;

describe('while phasegate waits for the person', () => {
  it('nothing spins: not "review the change", not the tag under "passed and is tagged"', async () => {
    const repo = repoWith(twoPhases, { 'a.py': 'x = "old"\n' });
    const term = await started(repo);
    await term.waitFor(REVIEW);
    const review = await stillLine(term, 'review the change');
    expect(review).not.toMatch(SPINNER);
    expect(review).toMatch(/\? review the change/);
    term.keys('Enter');
    await term.waitFor(PASSED);
    const tag = await stillLine(term, 'tag phasegate/demo/one');
    expect(tag).not.toMatch(SPINNER);
    expect(tag).toMatch(/\? tag phasegate\/demo\/one/);
    term.keys('Enter');
    expect(await term.exitCode()).toBe(0);
  });

  it('a phase with no transform goes straight to its checks: no empty change to review', async () => {
    const repo = repoWith(twoPhases, { 'a.py': 'x = "old"\n' });
    const term = await started(repo);
    await term.waitFor(REVIEW);
    term.keys('Enter');
    await term.waitFor(PASSED);
    term.keys('Enter');
    expect(await term.exitCode()).toBe(0);
    const screen = term.screen();
    expect(screen).not.toContain("Phase 'two' changed nothing");
    expect(repo.tags()).toEqual(['phasegate/demo/base', 'phasegate/demo/one', 'phasegate/demo/two']);
  });
});

describe('the guided review', () => {
  it("shows each step's own change, and a rename as old → new", async () => {
    const body = Array.from({ length: 20 }, (_, i) => `value_${i} = old(${i})`).join('\n');
    const phases = `  - id: one
    transform:
      - replace: 'old\\('
        with: 'new('
      - replace: '^value_1([23]) ='
        with: 'renamed_1$1 ='
      - rename: 'legacy.py'
        to: 'modern.py'
    validate:
      - forbid: 'old\\('
`;
    const repo = repoWith(phases, { 'a.py': `${body}\n`, 'legacy.py': 'def f():\n    return 1\n' });
    const term = await started(repo);
    const screen = await term.waitFor(REVIEW);
    // Step 1 rewrote 20 lines of a.py, step 2 two of them, step 3 only moved a file.
    expect(screen).toMatch(/1\. replace old\\\( → new\( — 1 file\n\s+a\.py\s+\+20 −20/);
    expect(screen).toMatch(/2\. replace .* — 1 file\n\s+a\.py\s+\+2 −2/);
    expect(screen).toMatch(/3\. rename legacy\.py → modern\.py — 1 file\n\s+legacy\.py → modern\.py\s*\n/);
    expect(screen).not.toContain('other changes');
    term.keys('Enter');
    await term.waitFor(/result: passed|passed and is tagged/);
    expect(await term.exitCode()).toBe(0);
    // The snapshots used a scratch index: the checkpoint commit is the whole phase, as always.
    expect(repo.git('diff', '--stat', 'phasegate/demo/base', 'phasegate/demo/one').trim()).toContain('2 files changed');
  });
});
