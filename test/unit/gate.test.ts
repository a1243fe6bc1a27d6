import { describe, expect, it } from 'vitest';
import { describeGate, evaluateGate } from '../../src/engine/run/gate.js';

describe('the gate', () => {
  const check = (passed: boolean, weight = 1, required = false) => ({ name: `c${weight}`, passed, weight, required });
  it('without a threshold every check must pass', () => {
    expect(evaluateGate([check(true), check(false)], null)).toMatchObject({ passed: false, score: 50 });
    expect(evaluateGate([check(true), check(true)], null)).toMatchObject({ passed: true, score: 100 });
    expect(evaluateGate([], null)).toMatchObject({ passed: true, score: 100 });
  });
  it('with a threshold it is the weighted share, and required checks must pass', () => {
    expect(evaluateGate([check(true, 2), check(true, 1), check(false, 1)], 75)).toMatchObject({ passed: true, score: 75 });
    expect(evaluateGate([check(true, 2), check(true, 1), check(false, 1)], 76)).toMatchObject({ passed: false, score: 75 });
    expect(evaluateGate([check(true, 9), check(false, 1, true)], 50)).toMatchObject({ passed: false, score: 90, failedRequired: ['c1'] });
    expect(evaluateGate([check(true, 0), check(false, 0)], 50)).toMatchObject({ score: 0 });
  });
  it('judges the exact share, never a rounded one: just under the threshold fails, and the score shown does not reach it', () => {
    // 1699 of 2000 is 84.95 %: once rounded to 85 and passed.
    const elevenOfThirteen = [...Array.from({ length: 11 }, () => check(true)), check(false), check(false)];
    expect(evaluateGate(elevenOfThirteen, 85)).toMatchObject({ passed: false, score: 84.6 });
    expect(evaluateGate([check(true, 1699), check(false, 301)], 85)).toMatchObject({ passed: false, score: 84.9 });
    expect(evaluateGate([check(true, 17), check(false, 3)], 85)).toMatchObject({ passed: true, score: 85 });
  });
});

describe('the gate, as the user reads it', () => {
  const gate = (passed: boolean, score: number, threshold: number | null, failed: string[] = [], failedRequired: string[] = []) => ({ passed, score, threshold, failed, failedRequired });
  it.each([
    [gate(true, 100, null), 'all checks passed'],
    [gate(false, 50, null, ['a', 'b'], ['a', 'b']), '2 check(s) failed: a, b'],
    [gate(true, 90, 85), 'score 90% (threshold 85%)'],
    [gate(false, 80, 85, ['a']), 'score 80% (threshold 85%) is below the threshold'],
    [gate(false, 90, 85, ['r'], ['r']), 'score 90% (threshold 85%); required check(s) failed: r'],
  ])('%j reads %j', (value, text) => {
    expect(describeGate(value)).toBe(text);
  });
});
