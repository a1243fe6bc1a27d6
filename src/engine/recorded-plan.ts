import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RefusedError } from '../errors.js';
import type { GitClient } from '../git/client.js';
import { plansWithTags, readPlanTags, type TagInfo } from '../git/tags.js';
import { documentCached, loadPlanCached } from './plans/cached-load.js';
import type { Plan } from '../plan/load.js';
import { resolvePlanPath } from '../plan/resolve.js';
import type { Phase, PlanDocument } from '../plan/schema.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import { stateDir } from '../state/state-dir.js';
import type { PlanInRepository, Repository } from './session.js';
import { recordedSource } from '../git/tag-record.js';

/**
 * The plan a phase ran with, as its tag recorded it (SPEC "Which plan"): `rollback`, `status`,
 * `rehearse`, `sync` and `verify` use it when no plan is given, wherever the plan file lives, even after the file was
 * edited or deleted. `--plan` overrides.
 */
export interface RecordedPlan extends PlanInRepository {
  /** The tag whose record the plan came from (the newest that has one). */
  recordedIn: string;
  /** Where the plan file was when it ran (root-relative when inside the repository). */
  recordedFile: string;
}

/** The newest recorded plan of `name`, validated, or undefined when no tag recorded one. */
export async function recordedPlan(repository: Repository, name: string): Promise<RecordedPlan | undefined> {
  const tags = [...(await readPlanTags(repository.git, name)).values()];
  // Newest first; at the same second a phase tag is newer than the base it builds on.
  tags.sort((a, b) => b.date.localeCompare(a.date) || Number(a.phase === 'base') - Number(b.phase === 'base'));
  for (const tag of tags) {
    const source = recordedSource(tag);
    if (!source) continue;
    // A record this phasegate cannot read (written by another version) is passed over.
    const plan = await (repository.readOnly ? inMemory(repository, source) : loadPlanCached(materialize(repository.stateDir, source.text), repository.root, repository.stateDir)).catch(() => undefined);
    if (!plan) continue;
    return {
      plan: { ...plan, displayPath: `${source.file} as recorded in ${tag.name}` }, doc: plan.document,
      planPath: undefined, neverStage: [], recordedIn: tag.name, recordedFile: source.file,
    };
  }
  return undefined;
}

/**
 * The plan to use when the user may or may not have named one: a file that exists wins (a path,
 * or `plans/<name>.yaml`); else the recorded plan of that name, or of the only plan with tags.
 */
export async function planFileOrRecorded<T>(repository: Repository, argument: string | undefined, cwd: string, open: (file: string) => Promise<T>): Promise<T | RecordedPlan> {
  if (argument !== undefined) {
    const file = resolvePlanPath(argument, repository.root, cwd);
    const bare = !/[\\/]/.test(argument) && !/\.ya?ml$/i.test(argument);
    if (existsSync(file) || !bare) return open(file);
    return (await recordedPlan(repository, argument)) ?? open(file);
  }
  const plans = await plansWithTags(repository.git);
  if (plans.length !== 1) {
    throw new RefusedError(plans.length === 0 ? 'no phasegate tags in this repository, so no recorded plan: name the plan' : `several plans have tags in this repository (${plans.join(', ')}): name one`);
  }
  const recorded = await recordedPlan(repository, plans[0]);
  if (!recorded) throw new RefusedError(`the tags of plan '${plans[0]}' do not record its plan (made by an earlier phasegate): name the plan file`);
  return recorded;
}

/**
 * A plan for a command that works on the tree (verify's checks, sync's replay): a recorded plan's
 * file, where it lies in the repository, stays out of their scope as a named plan file does
 * (SPEC: "the plan file itself is never in the scope of a transform or check") — a plan's own
 * text holds the very patterns its steps rewrite and its checks forbid.
 */
export function recordedPlanInTree(planInfo: PlanInRepository | RecordedPlan): PlanInRepository {
  if (!('recordedFile' in planInfo) || planInfo.planPath !== undefined) return planInfo;
  const file = planInfo.recordedFile;
  const inside = !path.isAbsolute(file) && !file.startsWith('../') && file !== '..';
  return inside ? { ...planInfo, planPath: file } : planInfo;
}

/**
 * The phase as it was when `tag` was made, to run its rollback steps as they were then. The plan
 * given with --plan (`given`) overrides; tags that recorded no plan fall back to `fallback`.
 */
export async function phaseAsTagged(git: GitClient, tag: TagInfo, fallback: PlanDocument | undefined, given: boolean): Promise<Phase | undefined> {
  const fromFallback = fallback?.phases.find((phase) => phase.id === tag.phase);
  const source = given ? undefined : recordedSource(tag);
  if (!source) return fromFallback;
  // Called after the branch moved: a record that cannot be read must not stop the rollback.
  const dir = await stateDirOf(git);
  const plan = await loadPlanCached(materialize(dir, source.text), git.root, dir).catch(() => undefined);
  return plan?.document.phases.find((phase) => phase.id === tag.phase) ?? fromFallback;
}

/**
 * One line when the plan file has changed (or is gone) since the given phases were tagged, for a
 * command that uses what the tags recorded instead.
 */
export function planChangeNote(root: string, tags: readonly TagInfo[]): string | undefined {
  const changed = new Map<string, string[]>();
  const gone = new Set<string>();
  for (const tag of tags) {
    const source = recordedSource(tag);
    if (!source) continue;
    const file = path.resolve(root, source.file);
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      gone.add(source.file);
      continue;
    }
    if (text !== source.text) changed.set(source.file, [...(changed.get(source.file) ?? []), tag.phase]);
  }
  const [file, phases] = [...changed.entries()][0] ?? [];
  if (file && phases) {
    return `note: ${file} has changed since ${phases.join(', ')} ${phases.length > 1 ? 'were' : 'was'} tagged; running the rollback steps as recorded in the tag${phases.length > 1 ? 's' : ''} (pass --plan ${file} to use the file's)`;
  }
  if (gone.size > 0) return `note: ${[...gone][0]} is gone; running the rollback steps as recorded in the tags`;
  return undefined;
}

/**
 * A recorded plan for a read-only command, which writes nothing under .git (see plans/cached-load.ts):
 * validated from the record's text, never written out as a file. Its `file` is where the plan file
 * was when it ran — a name for it, not its text: what needs the text as a file (a rehearsal's
 * scratch clone) writes `text` there itself (scratch/place-plan.ts).
 */
async function inMemory(repository: Repository, source: { file: string; text: string }): Promise<Plan> {
  const document = await documentCached(Buffer.from(source.text, 'utf8'), source.file, repository.stateDir, { remember: false });
  return { file: path.resolve(repository.root, source.file), displayPath: source.file, document, text: source.text };
}

/** Asked once per repository: a rollback asks for every phase it undoes. */
const stateDirs = new Map<string, Promise<string>>();
function stateDirOf(git: GitClient): Promise<string> {
  if (!stateDirs.has(git.root)) stateDirs.set(git.root, stateDir(git));
  return stateDirs.get(git.root)!;
}

/** The recorded text as a file, so the plan loader (and its cache) and a scratch clone can read it. */
function materialize(stateDir: string, text: string): string {
  const dir = path.join(stateDir, 'recorded-plans');
  // Named by content: plans recorded by different phases never overwrite each other.
  const file = path.join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.yaml`);
  try {
    if (readFileSync(file, 'utf8') === text) return file;
  } catch {
    // not written yet
  }
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(file, text);
  return file;
}
