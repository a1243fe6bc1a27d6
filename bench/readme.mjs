// `--update-readme`: the figures of a fresh run replace the table between the markers in
// bench/README.md, so the numbers there are always a paste of one whole run.
import { readFileSync, writeFileSync } from 'node:fs';
import { formatFigures } from './table.mjs';

export const START = '<!-- bench:figures:start (written by node bench/run.mjs --update-readme) -->';
export const END = '<!-- bench:figures:end -->';

/** `text` with the part between the markers replaced by `figures`; throws when the markers are missing. */
export function withFigures(text, figures) {
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`bench/README.md has no "${START}" … "${END}" markers`);
  return `${text.slice(0, from + START.length)}\n${figures}\n${text.slice(to)}`;
}

export function updateReadme(file, results) {
  writeFileSync(file, withFigures(readFileSync(file, 'utf8'), formatFigures(results)));
}
