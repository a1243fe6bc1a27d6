import { afterEach, describe, expect, it, vi } from 'vitest';
import { LONGEST_NODE_TIMER_MS, startTimer } from '../../src/process/long-timer.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('timers for plan timeouts', () => {
  it('a delay longer than a Node timer holds fires when it is over, not before', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    startTimer(2 * LONGEST_NODE_TIMER_MS + 5000, fired);
    vi.advanceTimersByTime(2 * LONGEST_NODE_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5000);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('cleared, it never fires, whichever of its timers is waiting', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const timer = startTimer(LONGEST_NODE_TIMER_MS + 5000, fired);
    vi.advanceTimersByTime(LONGEST_NODE_TIMER_MS + 1);
    timer.clear();
    vi.advanceTimersByTime(LONGEST_NODE_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
  });
});
