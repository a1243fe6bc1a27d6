import { render as renderPrompt } from '@inquirer/testing';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Decisions, PlanOverview, Task } from '../src/engine/decisions.js';
import { evaluateGate } from '../src/engine/run/gate.js';
import { InterruptedError } from '../src/errors.js';
import type { PromptContext } from '../src/prompts/ask.js';
import { guidedDecisions, type GuidedOptions } from '../src/prompts/guided.js';
import { afterPassQuestion, checksFailedQuestion, planChangedQuestion, reviewQuestion, startQuestion } from '../src/prompts/questions.js';
import { confirmRollback as confirmRollbackFn } from '../src/prompts/rollback.js';
import type { CheckReport, PhaseReport } from '../src/report/model.js';
import { makeRepo } from './helpers/repo.js';

/**
 * Every guided decision point, driven with @inquirer/testing: what the prompt shows, which answer
 * each key gives, that the default is the safe choice, and that Ctrl-C is an interruption.
 */
const ENTER = 'enter';
const DOWN = 'down';
const CTRL_C = { name: 'c', ctrl: true };

const overview: PlanOverview = {
  plan: 'demo', title: 'Demo migration', branch: 'phasegate/demo', branchExists: false, currentBranch: 'main',
  phases: [
    { id: 'imports', title: 'Import paths', steps: 1, checks: 2, tagged: true, willRun: false, stepNames: ['replace a → b'], checkNames: ['forbid /a/', 'tests'] },
    { id: 'factory', title: 'Factory pattern', steps: 2, checks: 2, tagged: false, willRun: true, stepNames: ['codemod X($$$A)', 'run fix.sh'], checkNames: ['forbid /X\\(/', 'score ≥ 85%'] },
  ],
};

function phase(overrides: Partial<PhaseReport> = {}): PhaseReport {
  return {
    id: 'factory', title: 'Factory pattern', status: 'failed', hash: 'h', filesChanged: 3, changedFiles: ['a.py', 'b.py', 'c.py'],
    insertions: 7, deletions: 4, score: null, threshold: null, durations: { transformMs: 0, checksMs: 0, totalMs: 0 },
    steps: [
      { index: 0, kind: 'codemod', name: 'codemod X($$$A)', durationMs: 1, filesChanged: 2, changedFiles: ['a.py', 'b.py'], changedNothing: false, notes: [] },
      { index: 1, kind: 'replace', name: 'replace y → z', durationMs: 1, filesChanged: 0, changedFiles: [], changedNothing: true, notes: ['changed nothing'] },
    ],
    checks: [],
    ...overrides,
  };
}

const files = [
  { file: 'a.py', insertions: 5, deletions: 3, binary: false },
  { file: 'b.py', insertions: 1, deletions: 1, binary: false },
  { file: 'c.py', insertions: 1, deletions: 0, binary: false },
];

const failedChecks: CheckReport[] = [
  { index: 0, name: 'forbid /X\\(/', kind: 'forbid', passed: false, required: true, weight: 1, durationMs: 1, summary: '2 matching lines (forbidden)',
    details: { matchCount: 2, before: 5, matches: [{ file: 'src/a.py', line: 12, text: '  n = X(1)' }, { file: 'src/b.py', line: 3, text: 'X(2)' }] } },
  { index: 1, name: 'unit tests', kind: 'run', passed: false, required: false, weight: 1, durationMs: 1, summary: 'exited with status 1',
    details: { exitCode: 1, outputTail: ['collected 3 items', 'FAILED test_factory.py::test_create'] } },
  { index: 2, name: 'count /class X/', kind: 'count', passed: true, required: false, weight: 2, durationMs: 1, summary: '1 matching line', details: {} },
];

describe('start', () => {
  it('shows the plan and the branch, and starts on the migration branch by default', async () => {
    const { answer, events, getScreen } = await render(startQuestion, { overview, branch: 'phasegate/demo' });
    const screen = getScreen();
    expect(screen).toContain("Plan 'demo' — Demo migration");
    expect(screen).toMatch(/✔ 1\. imports\s+Import paths \(tagged, done\)/);
    expect(screen).toMatch(/▶ 2\. factory\s+Factory pattern \(runs\)/);
    expect(screen).toContain('transform: codemod X($$$A) · run fix.sh');
    expect(screen).toContain('checks:    forbid /X\\(/ · score ≥ 85%');
    expect(screen).toContain('Branch: phasegate/demo (new, from main)');
    expect(screen).toContain('❯ Start on a new migration branch phasegate/demo');
    expect(screen).toContain('Start here, on the current branch main');
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe('branch');
  });

  it('offers the current branch and not starting', async () => {
    const here = await render(startQuestion, { overview, branch: 'phasegate/demo' });
    here.events.keypress(DOWN);
    here.events.keypress(ENTER);
    await expect(answered(here.answer)).resolves.toBe('current');
    const no = await render(startQuestion, { overview, branch: 'phasegate/demo' });
    no.events.keypress(DOWN);
    no.events.keypress(DOWN);
    expect(no.getScreen()).toContain('Nothing is changed.');
    no.events.keypress(ENTER);
    await expect(answered(no.answer)).resolves.toBe('cancel');
  });

  it('says when the migration branch exists and the run resumes there', async () => {
    const { answer, events, getScreen } = await render(startQuestion, { overview: { ...overview, branchExists: true }, branch: 'phasegate/demo' });
    expect(getScreen()).toContain('Branch: phasegate/demo (exists; the run resumes on it)');
    expect(getScreen()).toContain('❯ Start on the migration branch phasegate/demo (resume there)');
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe('branch');
  });

  it('with --no-branch offers only the current branch', async () => {
    const { answer, events, getScreen } = await render(startQuestion, { overview: { ...overview, branch: null }, branch: null });
    expect(getScreen()).toContain('Branch: the current one, main (--no-branch)');
    expect(getScreen()).not.toContain('migration branch');
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe('current');
  });

  it('maps the answers to the engine: branch, current, declined', async () => {
    const answers: [string[], unknown][] = [[[ENTER], { branch: 'phasegate/demo' }], [[DOWN, ENTER], { current: true }], [[DOWN, DOWN, ENTER], undefined]];
    for (const [keys, expected] of answers) {
      const { answer, events } = await renderDecision((d) => d.start(overview, 'phasegate/demo'));
      for (const key of keys) events.keypress(key);
      await expect(answered(answer)).resolves.toEqual(expected);
    }
  });

  it('does not ask when every phase is already tagged', async () => {
    const done = { ...overview, phases: overview.phases.map((p) => ({ ...p, tagged: true, willRun: false })) };
    const decisions = guidedDecisions({ ...asking(), context: { input: process.stdin, output: process.stdout } });
    await expect(decisions.start(done, 'phasegate/demo')).resolves.toEqual({ branch: 'phasegate/demo' });
  });
});

describe('plan edited since a phase was tagged', () => {
  it('names the phase and does not go on unless told to', async () => {
    const { answer, events, getScreen } = await render(planChangedQuestion, [{ id: 'imports' }]);
    expect(getScreen()).toContain("Phase 'imports' changed in the plan since it was tagged");
    expect(getScreen()).toContain('--from imports');
    expect(getScreen()).toContain('(y/N)');
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe(false);
  });

  it('goes on when the user says yes', async () => {
    const { answer, events } = await renderDecision((d) => d.planChanged([{ id: 'imports' }, { id: 'factory' }]));
    events.type('y');
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe(true);
  });
});

describe('after the transform', () => {
  it('shows the change per step with line counts and goes on to the checks by default', async () => {
    const { answer, events, getScreen } = await render(reviewQuestion, { phase: phase(), files });
    const screen = getScreen();
    expect(screen).toContain("Phase 'factory' changed 3 files, +7 −4");
    expect(screen).toContain('1. codemod X($$$A) — 2 files');
    expect(screen).toMatch(/a\.py\s+\+5 −3/);
    expect(screen).toMatch(/b\.py\s+\+1 −1/);
    expect(screen).toContain('2. replace y → z — changed nothing');
    expect(screen).toContain('other changes');
    expect(screen).toMatch(/c\.py\s+\+1 −0/);
    expect(screen).toContain('❯ Go on to the checks');
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe('checks');
  });

  it('offers the full diff and aborting', async () => {
    const diff = await render(reviewQuestion, { phase: phase(), files });
    diff.events.keypress(DOWN);
    diff.events.keypress(ENTER);
    await expect(answered(diff.answer)).resolves.toBe('diff');
    const abort = await render(reviewQuestion, { phase: phase(), files });
    abort.events.keypress(DOWN);
    abort.events.keypress(DOWN);
    abort.events.keypress(ENTER);
    await expect(answered(abort.answer)).resolves.toBe('abort');
  });

  it('keeps a large change short enough to redraw in place', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ file: `pkg/m${i}.py`, insertions: 1, deletions: 1, binary: false }));
    const steps = Array.from({ length: 10 }, (_, i) => ({ ...phase().steps[0], index: i, name: `step ${i}`, filesChanged: 6, changedFiles: many.slice(i * 6, i * 6 + 6).map((f) => f.file) }));
    const { answer, events, getScreen } = await render(reviewQuestion, { phase: phase({ filesChanged: 60, steps }), files: many });
    const message = getScreen().split('What next?')[0];
    expect(message.split('\n').length).toBeLessThanOrEqual(31);
    expect(message).toContain('more lines (the full diff shows everything)');
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe('checks');
  });

  it('has no diff to show when the transform changed nothing', async () => {
    const empty = phase({ filesChanged: 0, changedFiles: [], insertions: 0, deletions: 0, steps: [] });
    const { answer, events, getScreen } = await render(reviewQuestion, { phase: empty, files: [] });
    expect(getScreen()).toContain("Phase 'factory' changed nothing.");
    expect(getScreen()).toContain('(no change to show)');
    events.keypress(DOWN);
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe('abort');
  });

  it('shows the diff and asks again until the user decides', async () => {
    const repo = makeRepo({ 'a.py': 'x = 1\n' });
    const start = repo.head();
    repo.write('a.py', 'x = 2\ny = 3\n');
    const commit = repo.commitAll('phase');
    const shown: string[] = [];
    const task = { title: 'review the change' } as Task;
    const report = phase({ startCommit: start, commit, filesChanged: 1, insertions: 2, deletions: 1, steps: [{ ...phase().steps[0], changedFiles: ['a.py'], filesChanged: 1 }] });
    const { answer, events, getScreen } = await renderDecision((d) => d.afterTransform(task, report, repo.dir), {
      showDiff: async (_task, root, diffed) => { shown.push(`${root}:${diffed.commit}`); },
    });
    await until(() => getScreen().includes('❯ Go on to the checks'));
    expect(getScreen()).toMatch(/a\.py\s+\+2 −1/);
    events.keypress(DOWN);
    events.keypress(ENTER);
    await until(() => shown.length === 1 && getScreen().includes('❯ Go on to the checks'));
    expect(shown).toEqual([`${repo.dir}:${commit}`]);
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe('checks');
    expect(task.title).toBe('review the change — accepted');
  });
});

describe('when checks fail', () => {
  const gate = evaluateGate(failedChecks, 85);

  it('shows which checks failed with matches, output and score, and rolls back by default', async () => {
    const { answer, events, getScreen } = await render(checksFailedQuestion, { phase: phase(), checks: failedChecks, gate });
    const screen = flat(getScreen());
    expect(screen).toContain("Phase 'factory' failed its checks: score 50% (threshold 85%); required check(s) failed: forbid /X\\(/");
    expect(screen).toContain('✖ forbid /X\\(/ — 2 matching lines (forbidden) (before the transform: 5) [required]');
    expect(screen).toContain('src/a.py:12: n = X(1)');
    expect(screen).toContain('src/b.py:3: X(2)');
    expect(screen).toContain('✖ unit tests — exited with status 1');
    expect(screen).toContain('| FAILED test_factory.py::test_create');
    expect(screen).toContain('✔ 1 other check passed');
    expect(screen).toContain('❯ Roll back this phase');
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe('rollback');
  });

  it.each([
    [1, 'retry', 'committed with the phase'],
    [2, 'keep', 'untagged'],
    [3, 'shell', 'Exit the shell to come back'],
  ])('choice %i is %s', async (downs, expected, description) => {
    const { answer, events, getScreen } = await render(checksFailedQuestion, { phase: phase(), checks: failedChecks, gate });
    for (let i = 0; i < downs; i++) events.keypress(DOWN);
    expect(flat(getScreen())).toContain(description);
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe(expected);
  });

  it('opens a shell, then asks again', async () => {
    const opened: string[] = [];
    const task = { title: 'gate: score 50%' } as Task;
    const { answer, events, getScreen } = await renderDecision((d) => d.onChecksFailed(task, phase(), failedChecks, gate, '/repo'), {
      openShell: async (_task, root, shellPhase) => { opened.push(`${root}:${shellPhase.id}`); },
    });
    for (let i = 0; i < 3; i++) events.keypress(DOWN);
    events.keypress(ENTER);
    await until(() => opened.length === 1 && getScreen().includes('❯ Roll back this phase'));
    expect(opened).toEqual(['/repo:factory']);
    events.keypress(DOWN);
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe('retry');
    expect(task.title).toBe('gate: score 50% — running the checks again');
  });

  it('ends as an interruption when Ctrl-C arrived while the shell was open', async () => {
    const options = asking();
    const { answer, events } = await renderDecision((d) => d.onChecksFailed({ title: '' } as Task, phase(), failedChecks, gate, '/repo'), {
      ...options,
      openShell: async () => { options.interrupt('SIGINT'); },
    });
    for (let i = 0; i < 3; i++) events.keypress(DOWN);
    events.keypress(ENTER);
    await expect(answered(answer)).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe('after a phase passes', () => {
  it('goes on by default and can stop', async () => {
    const passed = phase({ status: 'passed', tag: 'phasegate/demo/factory', score: 100, threshold: 85 });
    const on = await render(afterPassQuestion, { phase: passed, remaining: 2 });
    expect(flat(on.getScreen())).toContain("Phase 'factory' passed (score 100%) and is tagged phasegate/demo/factory. 2 phases to go.");
    on.events.keypress(ENTER);
    await expect(answered(on.answer)).resolves.toBe('continue');
    const { answer, events } = await renderDecision((d) => d.afterPass({ title: '' } as Task, passed, 1));
    events.keypress(DOWN);
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe('stop');
  });
});

describe('Ctrl-C at a prompt', () => {
  const decide: [string, (d: Decisions) => Promise<unknown>][] = [
    ['start', (d) => d.start(overview, 'phasegate/demo')],
    ['plan changed', (d) => d.planChanged([{ id: 'imports' }])],
    ['after the transform', (d) => d.afterTransform({ title: '' } as Task, phase({ filesChanged: 0 }), '/repo')],
    ['checks failed', (d) => d.onChecksFailed({ title: '' } as Task, phase(), failedChecks, evaluateGate(failedChecks, null), '/repo')],
    ['after a pass', (d) => d.afterPass({ title: '' } as Task, phase(), 1)],
  ];
  it.each(decide)('%s: interrupts the run (exit 130), not a failure or a success', async (_name, decide) => {
    const options = asking();
    const { answer, events, getScreen } = await renderDecision(decide, options);
    await until(() => getScreen().includes('?'));
    events.keypress(CTRL_C);
    await expect(answered(answer)).rejects.toSatisfy((error: unknown) => error instanceof InterruptedError && error.exitCode === 130);
    expect(options.interrupted).toEqual(['Ctrl-C']);
    expect(options.signal.aborted).toBe(true);
  });

  it('an interruption from elsewhere (SIGTERM) closes an open prompt', async () => {
    const options = asking();
    const { answer, getScreen } = await renderDecision((d) => d.afterPass({ title: '' } as Task, phase(), 1), options);
    await until(() => getScreen().includes('Go on with the next phase'));
    options.interrupt('SIGTERM');
    await expect(answered(answer)).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe('confirmRollback', () => {
  // @inquirer/testing renders inquirer prompts, whose promise also has cancel().
  const confirmRollback = (summary: Parameters<typeof confirmRollbackFn>[0], context?: PromptContext) => Object.assign(confirmRollbackFn(summary, context), { cancel: () => {} });
  const summary = {
    target: 'imports',
    phases: [
      { id: 'interfaces', title: 'Interface standardisation', commits: ['c3d4e5f demo: Interface standardisation'], files: 4 },
      { id: 'factory', title: 'Factory pattern', commits: ['a1b2c3d demo: Factory pattern', '9f8e7d6 fix factory test'], files: 1 },
    ],
  };

  it('lists what will be undone, newest first, and says No by default', async () => {
    const { answer, events, getScreen } = await render(confirmRollback, summary);
    const screen = getScreen();
    expect(screen).toContain('Roll back to imports: undo 2 phases, newest first');
    expect(screen).toContain('↩ interfaces — Interface standardisation (1 commit, 4 files)');
    expect(screen).toContain('↩ factory — Factory pattern (2 commits, 1 file)');
    expect(screen).toContain('a1b2c3d demo: Factory pattern');
    expect(screen).toContain('9f8e7d6 fix factory test');
    expect(screen.indexOf('interfaces')).toBeLessThan(screen.indexOf('factory'));
    expect(screen).toContain('Undo these phases? (y/N)');
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe(false);
  });

  it('undoes when the user says yes', async () => {
    const { answer, events } = await render(confirmRollback, summary);
    events.type('y');
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe(true);
  });

  it('says when there is nothing to undo', async () => {
    const { answer, events, getScreen } = await render(confirmRollback, { target: 'factory', phases: [] });
    expect(getScreen()).toContain('Nothing to undo: the branch is already at factory.');
    events.keypress(ENTER);
    await expect(answered(answer)).resolves.toBe(false);
  });

  it('Ctrl-C is an interruption, not a No', async () => {
    const { answer, events } = await render(confirmRollback, summary);
    events.keypress(CTRL_C);
    await expect(answered(answer)).rejects.toSatisfy((error: unknown) => error instanceof InterruptedError && error.exitCode === 130 && /nothing was rolled back/.test(error.message));
  });
});

/** The run's interruption as the engine provides it, recording what interrupted it. */
function asking(): GuidedOptions & { interrupted: string[] } {
  const controller = new AbortController();
  const interrupted: string[] = [];
  return {
    signal: controller.signal,
    interrupted,
    interrupt: (reason: string) => {
      if (controller.signal.aborted) return;
      interrupted.push(reason);
      controller.abort(new InterruptedError());
    },
  };
}

/** Renders a whole decision (which may ask more than once) on @inquirer/testing's streams. */
function renderDecision<T>(decide: (decisions: Decisions) => Promise<T>, options: Partial<GuidedOptions> = {}) {
  const prompt = (_props: undefined, context?: PromptContext) => {
    // Each prompt ends its output stream when done; the next question must still reach the screen.
    const output = context?.output && keepOpen(context.output);
    const decisions = guidedDecisions({ ...asking(), ...options, context: { ...context, output } });
    return Object.assign(decide(decisions), { cancel: () => {} });
  };
  return render(prompt, undefined);
}

function keepOpen(output: NodeJS.WritableStream): NodeJS.WritableStream {
  const forward = new Writable({ write: (chunk, encoding, done) => { output.write(chunk, encoding, done); } });
  forward.end = () => forward;
  return forward;
}

/** Screen text with inquirer's line wrapping (80 columns in tests) undone. */
const flat = (screen: string) => screen.replace(/\s+/g, ' ');

/**
 * Every prompt a test opens must be answered before the test ends. A prompt left open is not
 * harmless: inquirer registers it with signal-exit, which rejects it with ExitPromptError when the
 * test worker process exits (a decision turns that into InterruptedError). Nobody awaits it any
 * more, so the rejection is unhandled and vitest fails the whole run (exit 1) although every test
 * passed — or not, depending on whether the worker exits on its own before vitest's SIGTERM.
 */
interface Opened { answer: Promise<unknown>; settled: boolean; screen(): string; close(): void }
const opened: Opened[] = [];
const screens = new WeakMap<Promise<unknown>, () => string>();

afterEach(async () => {
  const left = opened.splice(0).filter((prompt) => !prompt.settled);
  if (left.length === 0) return;
  // Close them (Ctrl-C) so that nothing rejects later, then fail the test that left them.
  for (const prompt of left) prompt.close();
  await Promise.race([Promise.allSettled(left.map((prompt) => prompt.answer)), new Promise((resolve) => setTimeout(resolve, 2000))]);
  throw new Error(`the test left ${left.length} prompt(s) open; answer each one. Last screen:\n${left[0].screen()}`);
});

/** @inquirer/testing's render, remembering the prompt so the check above can see it answered. */
async function render<Props, Answer>(prompt: (props: Props, context?: PromptContext) => Promise<Answer> & { cancel(): void }, props: Props) {
  const rendered = await renderPrompt(prompt as Parameters<typeof renderPrompt>[0], props);
  const entry: Opened = { answer: rendered.answer, settled: false, screen: () => rendered.getScreen(), close: () => rendered.events.keypress(CTRL_C) };
  rendered.answer.then(() => { entry.settled = true; }, () => { entry.settled = true; });
  opened.push(entry);
  screens.set(rendered.answer, entry.screen);
  return rendered as Omit<typeof rendered, 'answer'> & { answer: Promise<Answer> };
}

/** The prompt's answer, or a failure with the screen when none comes: a test fails, not hangs 60 s. */
function answered<T>(answer: Promise<T>, timeoutMs = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s; the prompt still shows:\n${screens.get(answer)?.() ?? '(not rendered)'}`)), timeoutMs);
  });
  return Promise.race([answer, deadline]).finally(() => clearTimeout(timer));
}

/** Waits for the screen to show something; fails fast with the screen as it is. */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`the screen did not get there within ${timeoutMs / 1000} s; it shows:\n${opened.at(-1)?.screen() ?? '(no prompt)'}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
