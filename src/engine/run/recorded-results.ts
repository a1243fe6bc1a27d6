import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { StepError } from '../../errors.js';
import type { GitClient } from '../../git/client.js';
import { gitPaths } from '../../git/paths.js';
import { rawChanges } from '../../git/state.js';
import type { Phase } from '../../plan/schema.js';
import { Confinement } from '../../scope/confine.js';
import { writeTextFile } from '../../scope/text.js';
import { VERSION } from '../../version.js';

/**
 * A phase's recorded result, for `sync`. A `replace` or a `codemod` is a function of one file's
 * path and content (and of the tools that ran it): a file whose content before the phase is what
 * it was when the phase was tagged comes out as the tagged commit has it. Replaying such a phase,
 * those files get their recorded content (read from git, written in place) and are kept out of the
 * steps; only the files that differ from the tagged phase's start — new on the base, edited there,
 * or changed differently by an earlier phase — are transformed. At 20,000 files this skips parsing
 * thousands of files a second time.
 *
 * Only when the tag vouches for its commit (`replayable`: written when the commit is exactly what
 * the steps made — no before-phase hook ran, no fix by hand was folded in — by the same phasegate,
 * ast-grep (CLI and parser) and node), every step is a `replace` or a `codemod` (no command, rename or delete), the
 * tagged commit only modified files, and git converts nothing on checkout (no `.gitattributes`,
 * no `core.autocrlf`): what is written is then byte for byte what the steps would write.
 */

const require = createRequire(import.meta.url);

/** What a tag vouches with: the same fingerprint at replay time means the same steps give the same bytes. */
export function replayFingerprint(): string {
  // The CLI rewrites; the napi parser judges whether a rewritten file needs another pass.
  return `phasegate ${VERSION}; ast-grep ${versionOf('@ast-grep/cli')}/${versionOf('@ast-grep/napi')}; node ${process.versions.node}`;
}

function versionOf(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    // Without it a codemod cannot run at all; a replace does not need it.
    return 'none';
  }
}

/** The tagged phase a replay re-applies: the commit it started from, its commit, and what its tag vouches. */
export interface RecordedPhase { start: string; commit: string; replayable?: string }

export interface RecordedResults {
  /** Paths that differ from the tagged phase's start: the steps transform these (and only these). */
  transform: Set<string>;
  /** Files the tagged phase changed whose content before it is unchanged: path → the blob it made. */
  outputs: Map<string, string>;
}

const PER_FILE_KINDS = ['replace', 'codemod'];
const REGULAR_FILE = ['100644', '100755'];
/** Blobs read per `cat-file --batch`: bounds the memory a replay holds for files it writes. */
const BLOBS_PER_BATCH = 1000;

/** The recorded results this replay of `phase` (starting at `startCommit`) may take, or undefined. */
export async function recordedResults(git: GitClient, phase: Phase, recorded: RecordedPhase | undefined, startCommit: string): Promise<RecordedResults | undefined> {
  if (!recorded?.replayable || recorded.replayable !== replayFingerprint()) return undefined;
  const steps = phase.transform ?? [];
  if (steps.length === 0 || !steps.every((step) => PER_FILE_KINDS.some((kind) => kind in step))) return undefined;
  const [attributes, paths, autocrlf, since, made] = await Promise.all([
    // The index is the phase's start commit (a phase starts clean).
    git.entries(['ls-files', '-z', '--cached', '--', ':(glob)**/.gitattributes']),
    gitPaths(git),
    git.attempt(['config', '--get', 'core.autocrlf']),
    rawChanges(git, recorded.start, startCommit),
    rawChanges(git, recorded.start, recorded.commit),
  ]);
  if (attributes.length > 0 || existsSync(path.join(paths.commonDir, 'info', 'attributes')) || ['true', 'input'].includes(autocrlf.stdout.trim().toLowerCase())) return undefined;
  const outputs = new Map<string, string>();
  for (const [file, change] of made) {
    // A replace or codemod only modifies regular files, keeping their mode; anything else is not its output.
    if (change.status !== 'M' || change.oldMode !== change.newMode || !REGULAR_FILE.includes(change.newMode)) return undefined;
    if (!since.has(file)) outputs.set(file, change.newBlob);
  }
  return { transform: new Set(since.keys()), outputs };
}

/**
 * Write each recorded output over its file (in place, like a step: same inode and mode), reading
 * the blobs with `cat-file --batch`, a thousand at a time. A file beyond a symlinked folder is not
 * written (a step would not have read it either). Returns the paths written.
 */
export async function writeRecorded(git: GitClient, root: string, outputs: Map<string, string>, signal: AbortSignal): Promise<string[]> {
  const confinement = new Confinement(root);
  const files = [...outputs.keys()].filter((file) => confinement.escape(file) === undefined);
  for (let first = 0; first < files.length; first += BLOBS_PER_BATCH) {
    signal.throwIfAborted();
    const batch = files.slice(first, first + BLOBS_PER_BATCH);
    const contents = await git.bytes(['cat-file', '--batch'], { input: batch.map((file) => `${outputs.get(file)}\n`).join('') });
    let offset = 0;
    for (const file of batch) {
      // Each blob comes as "<id> blob <size>\n<content>\n".
      const header = contents.toString('latin1', offset, contents.indexOf(10, offset));
      const [, type, size] = header.split(' ');
      // A blob this repository lacks (a partial clone): the step fails and the sync is undone, as any failed step.
      if (type !== 'blob') throw new StepError(`cannot read the recorded result of ${file} (${header})`);
      const start = offset + header.length + 1;
      writeTextFile(path.join(root, file), contents.subarray(start, start + Number(size)));
      offset = start + Number(size) + 1;
    }
  }
  return files;
}
