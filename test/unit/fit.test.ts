import { describe, expect, it } from 'vitest';
import { fitMessage } from '../../src/prompts/fit.js';

describe('a prompt message cut to the terminal', () => {
  const message = ['Plan demo', ...Array.from({ length: 30 }, (_, index) => `  line ${index}`), 'Start the migration?'].join('\n');
  it('keeps a message that fits as it is, and one for a terminal of unknown height', () => {
    expect(fitMessage('a\nb\nc?', 5, 24, 80)).toBe('a\nb\nc?');
    expect(fitMessage(message, 5, undefined, 80)).toBe(message);
  });
  it('keeps the first lines and the question, and says how many lines it left out', () => {
    const fitted = fitMessage(message, 6, 24, 80).split('\n');
    expect(fitted.length).toBe(24 - 6);
    expect(fitted[0]).toBe('Plan demo');
    expect(fitted.at(-1)).toBe('Start the migration?');
    expect(fitted.at(-2)).toBe(`  … ${32 - 1 - (fitted.length - 2)} more lines (a taller terminal shows them; the plan file has them all)`);
  });
  it('counts a line wider than the terminal as the rows it wraps to', () => {
    // 200 characters are 3 rows at 80 columns: with the cut's line and the question, 4 rows hold no line of it.
    const wide = ['x'.repeat(200), 'y', 'question?'].join('\n');
    expect(fitMessage(wide, 0, 4, 80).split('\n')).toEqual(['  … 2 more lines (a taller terminal shows them; the plan file has them all)', 'question?']);
  });
});
