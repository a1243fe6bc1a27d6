import type { GitClient } from '../../git/client.js';
import { rawChanges } from '../../git/state.js';

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

/** `diffs: false` (nobody will read them: an unattended sync) leaves `diffOfDiffs` empty and saves the diffs it needs. */
export async function comparePhase(git: GitClient, before: Change, now: Change, oldBase: string, { diffs = true } = {}): Promise<Comparison> {
  // What each commit did to each file, as blob ids: no file content is read. A file whose old and
  // new blobs (and modes) are the same in both commits changed the same way — for a migration
  // replayed on a base that gained a few files, that is nearly all of them.
  const [oldRaw, currentRaw] = await Promise.all([changesOf(git, before), changesOf(git, now)]);
  const compared = [...currentRaw.keys()].filter((file) => oldRaw.has(file) && oldRaw.get(file) !== currentRaw.get(file));
  // Only those changed differently at the blob level need their lines compared.
  const [oldLines, currentLines] = await Promise.all([changeLines(git, before, compared), changeLines(git, now, compared)]);
  const differentFiles = compared.filter((file) => oldLines.get(file) !== currentLines.get(file));
  const extra = [...currentRaw.keys()].filter((file) => !oldRaw.has(file));
  for (const file of oldRaw.keys()) if (!currentRaw.has(file)) differentFiles.push(file);
  const existedBefore = extra.length === 0 ? new Set<string>() : new Set(await git.entries(['ls-tree', '-r', '-z', '--name-only', oldBase, '--', ...extra.map((file) => `:(literal)${file}`)]));
  const newFiles = extra.filter((file) => !existedBefore.has(file));
  differentFiles.push(...extra.filter((file) => existedBefore.has(file)));
  const outcome = differentFiles.length > 0 ? 'different' : newFiles.length > 0 ? 'more' : 'same';
  const shown = diffs ? [...differentFiles, ...newFiles].slice(0, 20) : [];
  // The lines of the shown files that only one side changed, for the person reading.
  const [oldShown, currentShown] = await Promise.all([
    changeLines(git, before, shown.filter((file) => oldRaw.has(file) && !oldLines.has(file))),
    changeLines(git, now, shown.filter((file) => currentRaw.has(file) && !currentLines.has(file))),
  ]);
  const old = new Map([...oldLines, ...oldShown]);
  const current = new Map([...currentLines, ...currentShown]);
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

/** Per file a commit changes: its modes, blob ids and status, as one string to compare. */
async function changesOf(git: GitClient, change: Change): Promise<Map<string, string>> {
  return new Map([...(await rawChanges(git, change.start, change.commit))].map(([file, { raw }]) => [file, raw]));
}

/** Past this many files a path list is longer than the diff it saves: diff everything and pick. */
const PATHSPEC_LIMIT = 1000;

/**
 * Per file, the lines a commit adds and removes (no context, no line numbers), plus what marks a
 * file created, deleted or binary. For the files asked about only; one `git diff` for all of them.
 */
async function changeLines(git: GitClient, change: Change, wanted: readonly string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (wanted.length === 0) return result;
  const pathspec = wanted.length > PATHSPEC_LIMIT ? [] : ['--', ...wanted.map((file) => `:(literal)${file}`)];
  const [files, text] = await Promise.all([
    git.entries(['diff', '--name-only', '-z', '--no-renames', change.start, change.commit, ...pathspec]),
    git.run(['-c', 'core.quotePath=false', 'diff', '-U0', '--full-index', '--no-color', '--no-renames', '--no-ext-diff', '--no-textconv', change.start, change.commit, ...pathspec]),
  ]);
  const blocks = text.split(/^diff --git /m).slice(1);
  const asked = new Set(wanted);
  // git prints the files of both commands in the same order, one block per file.
  blocks.forEach((block, index) => {
    const file = files[index];
    if (file === undefined || !asked.has(file)) return;
    const lines = block.split('\n').slice(1).filter((line) =>
      (/^[+-]/.test(line) && !/^(\+\+\+|---) /.test(line)) || /^(new|deleted) file mode|^Binary files|^old mode|^new mode/.test(line));
    // A binary file has no lines to compare: what it becomes (the new blob) stands for its change.
    const binary = /^Binary files /m.test(block) ? /^index [0-9a-f]+\.\.([0-9a-f]+)/m.exec(block)?.[1] : undefined;
    result.set(file, lines.map((line) => (line.startsWith('Binary files ') ? `binary change to ${binary ?? '?'}` : line)).join('\n'));
  });
  return result;
}
