import { describe, expect, it } from 'vitest';
import { decideMode, isCI, isInteractiveOutput } from '../../src/engine/tasklist/mode.js';

// One decision for "is a person watching": the prompts (mode) and the task list's look must agree,
// or a guided run is drawn with the plain renderer.
describe('interactive or not', () => {
  it.each([
    [{}, false],
    [{ CI: '' }, false],
    [{ CI: '0' }, false],
    [{ CI: 'false' }, false],
    [{ CI: 'FALSE' }, false],
    [{ CI: 'true' }, true],
    [{ CI: '1' }, true],
  ])('CI in %j is CI: %s', (env, expected) => {
    expect(isCI(env)).toBe(expected);
  });

  it.each([
    [{}, true, true],
    [{ CI: 'false' }, true, true],
    [{ CI: '0' }, true, true],
    [{ CI: 'true' }, true, false],
    [{}, false, false],
  ])('output with env %j on a terminal=%s is live: %s', (env, tty, expected) => {
    expect(isInteractiveOutput(env, tty)).toBe(expected);
  });

  it('--yes is unattended whatever the terminal', () => {
    expect(decideMode(true, {})).toBe('unattended');
    expect(decideMode(false, { CI: 'true' })).toBe('unattended');
  });
});
