/**
 * The timer for a plan's `timeout:` (commands, codemods, structural checks, regex jobs).
 *
 * Node keeps a timer's delay in 32 bits of milliseconds: a delay above 2^31-1 ms (about 596h,
 * 24.8 days) fires at once, with a TimeoutOverflowWarning — `timeout: 600h` made a one-second
 * command time out immediately. Such a timeout is not refused when the plan is checked: it reads
 * as valid, the editor schema could not say otherwise, and what a user means by it ("let it run,
 * however long") is clear. So a long wait is made of timers no longer than Node holds, armed one
 * after the other.
 */
export const LONGEST_NODE_TIMER_MS = 2 ** 31 - 1;

export interface Timer {
  clear(): void;
}

export function startTimer(ms: number, fire: () => void): Timer {
  let timer: NodeJS.Timeout;
  const arm = (left: number) => {
    timer = left > LONGEST_NODE_TIMER_MS
      ? setTimeout(() => arm(left - LONGEST_NODE_TIMER_MS), LONGEST_NODE_TIMER_MS)
      : setTimeout(fire, left);
  };
  arm(ms);
  return { clear: () => clearTimeout(timer) };
}
