import type { CheckDetails } from '../checks/types.js';

/**
 * Shortened lists, said one way on every screen and in every report: "… and 3 more matches".
 */
export function andMore(count: number, noun: string, many = `${noun}s`): string {
  return `… and ${count} more ${count === 1 ? noun : many}`;
}

/**
 * A check's matching lines as `file:line: text`, at most `limit`, then how many were left out.
 * Matches the phase brought (see PhaseRun) come first and say so.
 */
export function matchLines(details: CheckDetails, limit: number, width = 100): string[] {
  const matches = details.matches ?? [];
  const lines = matches.slice(0, limit).map((match) => `${match.file}:${match.line}: ${match.text.trim().slice(0, width)}${match.added ? '  (new in this phase)' : ''}`);
  const hidden = (details.matchCount ?? matches.length) - lines.length;
  if (hidden > 0) lines.push(andMore(hidden, 'match', 'matches'));
  return lines;
}

/**
 * A phase's changed lines as `+12 −3` (`separator` between the two), or undefined when they were
 * not counted: a screen or report then names the files only, never a made-up `+0 −0`.
 */
export function lineChange(phase: { insertions?: number; deletions?: number }, separator = ' '): string | undefined {
  if (phase.insertions === undefined || phase.deletions === undefined) return undefined;
  return `+${phase.insertions}${separator}−${phase.deletions}`;
}

/** `3 file(s), +12 −3`, or `3 file(s)` when the lines were not counted. */
export function filesAndLines(phase: { filesChanged: number; insertions?: number; deletions?: number }): string {
  const lines = lineChange(phase);
  return `${phase.filesChanged} file(s)${lines ? `, ${lines}` : ''}`;
}
