import type { GitClient } from '../../git/client.js';

/**
 * How a replayed phase compares with the phase as it was: `same` when it changed the same files
 * in the same way (the added and removed lines of each file, whatever their line numbers or the
 * lines around them), `more` when it also changed files that did not exist at the old base (new
 * on the base it was replayed on), `different` otherwise.
 */
export type Outcome = 'same' | 'more' | 'different' | 'failed' | 'conflict';

export interface Comparison {
  outcome: 'same' | 'more' | 'different';
  /** Files the phase changes now and did not before, that are new on the new base. */
  newFiles: string[];
  /** Files whose change differs (or that only one of the two changed and are not new). */
  differentFiles: string[];
  /** For a person deciding: each differing file's change before and now. */
  diffOfDiffs: string;
}

interface Change { start: string; commit: string }

export async function comparePhase(git: GitClient, before: Change, now: Change, oldBase: string): Promise<Comparison> {
  const [old, current] = await Promise.all([changeLines(git, before), changeLines(git, now)]);
  const differentFiles: string[] = [];
  const extra: string[] = [];
  for (const [file, lines] of current) {
    const was = old.get(file);
    if (was === undefined) extra.push(file);
    else if (was !== lines) differentFiles.push(file);
  }
  for (const file of old.keys()) if (!current.has(file)) differentFiles.push(file);
  const existedBefore = extra.length === 0 ? new Set<string>() : new Set(await git.entries(['ls-tree', '-r', '-z', '--name-only', oldBase, '--', ...extra.map((file) => `:(literal)${file}`)]));
  const newFiles = extra.filter((file) => !existedBefore.has(file));
  differentFiles.push(...extra.filter((file) => existedBefore.has(file)));
  const outcome = differentFiles.length > 0 ? 'different' : newFiles.length > 0 ? 'more' : 'same';
  const shown = [...differentFiles, ...newFiles].slice(0, 20);
  const diffOfDiffs = shown.map((file) => [
    `── ${file}`,
    ...(old.has(file) ? ['   before:', ...indent(old.get(file)!)] : ['   before: (not changed)']),
    ...(current.has(file) ? ['   now:', ...indent(current.get(file)!)] : ['   now: (not changed)']),
  ].join('\n')).join('\n');
  return { outcome, newFiles: newFiles.sort(), differentFiles: differentFiles.sort(), diffOfDiffs };
}

function indent(lines: string): string[] {
  const all = lines.split('\n');
  return [...all.slice(0, 12).map((line) => `     ${line}`), ...(all.length > 12 ? [`     … ${all.length - 12} more lines`] : [])];
}

/**
 * Per file, the lines a commit adds and removes (no context, no line numbers), plus what marks a
 * file created, deleted or binary. One `git diff` for the whole phase.
 */
async function changeLines(git: GitClient, change: Change): Promise<Map<string, string>> {
  const files = await git.entries(['diff', '--name-only', '-z', '--no-renames', change.start, change.commit]);
  const text = await git.run(['-c', 'core.quotePath=false', 'diff', '-U0', '--full-index', '--no-color', '--no-renames', '--no-ext-diff', '--no-textconv', change.start, change.commit]);
  const blocks = text.split(/^diff --git /m).slice(1);
  const result = new Map<string, string>();
  // git prints the files of both commands in the same order, one block per file.
  blocks.forEach((block, index) => {
    const file = files[index];
    if (file === undefined) return;
    const lines = block.split('\n').slice(1).filter((line) =>
      (/^[+-]/.test(line) && !/^(\+\+\+|---) /.test(line)) || /^(new|deleted) file mode|^Binary files|^old mode|^new mode/.test(line));
    // A binary file has no lines to compare: what it becomes (the new blob) stands for its change.
    const binary = /^Binary files /m.test(block) ? /^index [0-9a-f]+\.\.([0-9a-f]+)/m.exec(block)?.[1] : undefined;
    result.set(file, lines.map((line) => (line.startsWith('Binary files ') ? `binary change to ${binary ?? '?'}` : line)).join('\n'));
  });
  return result;
}
