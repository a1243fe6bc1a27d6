/**
 * Which of the CLI's matches a codemod pass rewrites, so that every match is rewritten once —
 * as one `ast-grep run -U` does — and matches nested in one another are all rewritten too.
 *
 * - Innermost first: a match holding another waits for a later pass, where the CLI spells it
 *   again around the inner one's rewrite. (Rewriting the outer one first, as the CLI does, would
 *   put the inner match inside text the fix wrote, where it cannot be told from the fix's own
 *   output.)
 * - Text the fix wrote is never matched again: a later pass skips a match lying wholly inside it.
 *   A fix whose output still matches its own pattern (`log.info($$$A)` → `log.info($$$A, x=1)`,
 *   `open($P)` → `safe(open($P))`) is therefore applied once per match, and an enclosing match —
 *   one left for later, or one that matches only now (`unwrap(unwrap(a.value))` with
 *   `unwrap($A.value)` → `$A.value`) — is rewritten because it holds code the fix did not write.
 *
 * Every pass that rewrites anything turns some of the file's original bytes into fix-written
 * ones, so passes end by themselves: a file needs about as many as its matches nest deep.
 * Offsets are in bytes, as the CLI reports them.
 */
export interface ByteSpan { start: number; end: number }
export interface ByteEdit { before: ByteSpan; after: ByteSpan }

/** The matches to rewrite now, in file order; whether some are left for another pass. */
export function chooseThisPass<M extends ByteSpan>(matches: readonly M[], written: readonly ByteSpan[]): { chosen: M[]; later: boolean } {
  // By start, then the enclosing one first (the CLI reports in pre-order; sort is stable).
  const open = matches.filter((match) => !within(match, written)).sort((a, b) => a.start - b.start || b.end - a.end);
  const chosen: M[] = [];
  let later = false;
  for (let index = 0; index < open.length; index++) {
    const match = open[index];
    let next = index + 1;
    // Two matches of one range (a node and its only child) are one rewrite: the first, as the CLI does.
    while (next < open.length && open[next].start === match.start && open[next].end === match.end) next++;
    const holds = next < open.length && open[next].start < match.end && open[next].end <= match.end;
    if (holds) later = true;
    else chosen.push(match);
    index = next - 1;
  }
  return { chosen, later };
}

/** Where the fix has written, after this pass's edits: the earlier spans moved, and the new ones. */
export function writtenAfter(written: readonly ByteSpan[], edits: readonly ByteEdit[]): ByteSpan[] {
  const moved = written.map((span) => ({ start: movePoint(span.start, edits, 'start'), end: movePoint(span.end, edits, 'end') }));
  return merge([...moved, ...edits.map((edit) => edit.after)]);
}

/** Whether `range` lies wholly in fix-written text (`spans` sorted and merged, as writtenAfter leaves them). */
function within(range: ByteSpan, spans: readonly ByteSpan[]): boolean {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const span = spans[middle];
    if (span.end < range.end) low = middle + 1;
    else if (span.start > range.start) high = middle - 1;
    else return true;
  }
  return false;
}

/** A point of the text before the edits (sorted, disjoint) in the text after them. */
function movePoint(point: number, edits: readonly ByteEdit[], side: 'start' | 'end'): number {
  let delta = 0;
  for (const edit of edits) {
    if (point <= edit.before.start) break;
    if (point < edit.before.end) return side === 'start' ? edit.after.start : edit.after.end;
    delta = edit.after.end - edit.before.end;
  }
  return point + delta;
}

/** Sorted, with overlapping and touching spans joined: text the fix wrote in one stretch is one span. */
function merge(spans: readonly ByteSpan[]): ByteSpan[] {
  const out: ByteSpan[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}
