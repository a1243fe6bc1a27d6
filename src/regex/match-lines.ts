/**
 * The lines a regex matches in a text, reported on the line where each match starts; several
 * matches on one line count once.
 */
export interface MatchedLine {
  file: string;
  line: number;
  text: string;
}

export function matchLines(text: string, pattern: RegExp, file: string): MatchedLine[] {
  const found: MatchedLine[] = [];
  let lineStarts: number[] | undefined;
  let lastLine = -1;
  pattern.lastIndex = 0;
  for (const match of text.matchAll(pattern)) {
    lineStarts ??= startsOfLines(text);
    const line = lineAt(lineStarts, match.index);
    if (line === lastLine) continue;
    lastLine = line;
    const start = lineStarts[line];
    const end = text.indexOf('\n', start);
    found.push({ file, line: line + 1, text: ownCopy(text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '')) });
  }
  return found;
}

/**
 * V8 keeps a slice of a string as a view into the whole string: every match would keep its file's
 * text alive for as long as the report holds it (tens of MB over 20,000 files). Concatenating and
 * slicing again makes a copy of just the line.
 */
function ownCopy(line: string): string {
  return ` ${line}`.slice(1);
}

function startsOfLines(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function lineAt(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
