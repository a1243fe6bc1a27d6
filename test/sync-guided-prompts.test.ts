import { render } from '@inquirer/testing';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Task } from '../src/engine/decisions.js';
import { evaluateGate } from '../src/engine/run/gate.js';
import type { PromptContext } from '../src/prompts/ask.js';
import { checksFailedQuestion } from '../src/prompts/questions.js';
import { syncGuidedDecisions, syncFailureWording } from '../src/prompts/sync.js';
import type { CheckReport, PhaseReport } from '../src/report/model.js';

/**
 * The question a guided sync asks at a failed phase is `run`'s question (same prompt, same
 * answers), worded for where the work is: the replay working tree, and a sync that goes on or is
 * abandoned. Driven with @inquirer/testing.
 */
const REPLAY = '/tmp/phasegate-sync-abc/repo';

const phase: PhaseReport = {
  id: 'calls', title: 'Log instead of print', status: 'failed', hash: 'h', filesChanged: 1, changedFiles: ['app/a.py'],
  insertions: 1, deletions: 1, score: null, threshold: null, durations: { transformMs: 0, checksMs: 0, totalMs: 0 }, steps: [], checks: [],
};
const checks: CheckReport[] = [
  { index: 0, name: 'forbid /print\\(thing/', kind: 'forbid', passed: false, required: false, weight: 1, durationMs: 1, summary: '1 matching line (forbidden)',
    details: { matchCount: 1, matches: [{ file: 'app/a.py', line: 2, text: 'print(thing, 1)' }] } },
];
const gate = evaluateGate(checks, null);
const flat = (screen: string) => screen.replace(/\s+/g, ' ');

describe('a guided sync at a failed phase', () => {
  it('names the replay working tree and abandons the sync by default', async () => {
    const { answer, events, getScreen } = await render(checksFailedQuestion, { phase, checks, gate, wording: syncFailureWording(REPLAY) });
    const screen = flat(getScreen());
    expect(screen).toContain("Phase 'calls' failed its checks");
    expect(screen).toContain('app/a.py:2: print(thing, 1)');
    expect(screen).toContain(`replay working tree (a scratch clone; your repository changes only when the sync ends) is ${REPLAY}`);
    expect(screen).toContain('❯ Roll back: abandon the sync');
    expect(screen).toContain('branch and its tags stay as they were before the sync');
    events.keypress('enter');
    await expect(answer).resolves.toBe('rollback');
  });

  it.each([
    [1, 'retry', `fixing the files by hand in ${REPLAY}`],
    [2, 'keep', 'the sync goes on with the next phase'],
    [3, 'shell', `Open a shell in the replay working tree`],
  ])('choice %i is %s', async (downs, expected, text) => {
    const { answer, events, getScreen } = await render(checksFailedQuestion, { phase, checks, gate, wording: syncFailureWording(REPLAY) });
    for (let i = 0; i < downs; i++) events.keypress('down');
    expect(flat(getScreen())).toContain(text);
    events.keypress('enter');
    await expect(answer).resolves.toBe(expected);
  });

  it("is run's decision: a shell opens in the replay working tree, then the choices come back", async () => {
    const opened: string[] = [];
    const controller = new AbortController();
    const task = { title: 'gate' } as Task;
    const prompt = (_props: undefined, context?: PromptContext) => {
      // Each prompt ends its output stream when done; the question asked again must still reach the screen.
      const output = context?.output && keepOpen(context.output);
      const decisions = syncGuidedDecisions({
        signal: controller.signal, interrupt: () => controller.abort(), context: { ...context, output },
        openShell: async (_task, root) => { opened.push(root); },
      });
      expect(decisions.guided).toBe(true);
      return Object.assign(decisions.onChecksFailed(task, phase, checks, gate, REPLAY), { cancel: () => {} });
    };
    const { answer, events, getScreen } = await render(prompt, undefined);
    for (let i = 0; i < 3; i++) events.keypress('down');
    events.keypress('enter');
    for (let waited = 0; !(opened.length === 1 && getScreen().includes('❯ Roll back')) && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(opened).toEqual([REPLAY]);
    events.keypress('down');
    events.keypress('enter');
    await expect(answer).resolves.toBe('retry');
    expect(task.title).toBe('gate — running the checks again');
  });
});

function keepOpen(output: NodeJS.WritableStream): NodeJS.WritableStream {
  const forward = new Writable({ write: (chunk, encoding, done) => { output.write(chunk, encoding, done); } });
  forward.end = () => forward;
  return forward;
}
