import { existsSync } from 'node:fs';
import path from 'node:path';
import { RefusedError } from '../../errors.js';
import { phaseOfTagName, planOfTagName, TAG_PREFIX } from '../../git/names.js';
import { commitsNotIn, refsContaining } from '../../git/state.js';
import { plansWithTags, readPlanTags, type TagInfo } from '../../git/tags.js';
import type { PlanDocument } from '../../plan/schema.js';
import { readPhasegateTags } from '../plan-tags.js';
import type { Repository } from '../session.js';

/**
 * What `phasegate rollback <target>` means in this repository: which plan, which tag, and which
 * phases' tags come after it (newest first). Works from tags alone, so a rollback is possible even
 * when the plan file is gone; the plan (when found) supplies the rollback steps and phase order.
 */
export interface RollbackTarget {
  plan: string;
  target: TagInfo;
  /** Phase tags to undo, newest first. */
  undo: TagInfo[];
  /** The plan's base tag, read with the others (it names the migration branch). */
  base?: TagInfo;
}

export async function resolvePlanName(repository: Repository, target: string, planOption: string | undefined, planDoc: PlanDocument | undefined): Promise<string> {
  if (planDoc) return planDoc.name;
  const fromTag = planOfTagName(target);
  if (fromTag) return fromTag;
  const plans = await plansWithTags(repository.git);
  if (plans.length === 0) throw new RefusedError(`no phasegate tags in this repository: nothing to roll back${planOption ? '' : ''}`);
  if (plans.length === 1) return plans[0];
  const candidates: string[] = [];
  for (const plan of plans) if ((await readPlanTags(repository.git, plan)).has(target)) candidates.push(plan);
  if (candidates.length === 1) return candidates[0];
  throw new RefusedError(`several plans have tags in this repository (${plans.join(', ')}): say which with --plan <plan>`);
}

export async function resolveTarget(repository: Repository, plan: string, target: string, doc: PlanDocument | undefined): Promise<RollbackTarget> {
  const tags = await readPhasegateTags(repository.git, plan);
  const phase = phaseOfTagName(target, plan);
  const tag = tags.get(phase);
  if (!tag) {
    const known = [...tags.keys()].sort().join(', ') || 'none';
    const planPhase = doc?.phases.some((entry) => entry.id === phase);
    throw new RefusedError(planPhase
      ? `phase '${phase}' of plan '${plan}' has no tag: it has not passed yet (tagged: ${known})`
      : `no tag ${TAG_PREFIX}/${plan}/${phase} (tagged: ${known})`);
  }
  const order = doc ? doc.phases.map((entry) => entry.id) : [];
  const candidates = [...tags.values()].filter((candidate) => candidate.phase !== 'base' && candidate.name !== tag.name && candidate.commit !== tag.commit);
  const after = await refsContaining(repository.git, tag.commit, candidates.map((candidate) => `refs/tags/${candidate.name}`));
  const later = candidates.filter((candidate) => after.has(`refs/tags/${candidate.name}`));
  return { plan, target: tag, undo: newestFirst(later, order), base: tags.get('base') };
}

/** Newest first: plan order when the plan knows both phases, else the tags' dates. */
export function newestFirst(tags: readonly TagInfo[], order: readonly string[]): TagInfo[] {
  return [...tags].sort((a, b) => {
    const byPlan = order.indexOf(b.phase) - order.indexOf(a.phase);
    return byPlan !== 0 && order.includes(a.phase) && order.includes(b.phase) ? byPlan : b.date.localeCompare(a.date);
  });
}

/** Commits on the branch that are no phase's: made by hand after the last phase tag. */
export async function manualCommits(repository: Repository, target: RollbackTarget, ref: string): Promise<string[]> {
  return commitsNotIn(repository.git, ref, [target.target.commit, ...target.undo.map((tag) => tag.commit)]);
}

/** The plan file for a plan name, when it can be found without being told. */
export function findPlanFile(root: string, plan: string): string | undefined {
  for (const name of [`${plan}.yaml`, `${plan}.yml`]) {
    const file = path.join(root, 'plans', name);
    if (existsSync(file)) return file;
  }
  return undefined;
}
