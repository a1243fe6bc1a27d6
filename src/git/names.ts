/**
 * The names phasegate gives things in git. Users see and type these; they are part of the
 * contract (SPEC "Git model").
 */
export const TAG_PREFIX = 'phasegate';

export const baseTag = (plan: string) => `${TAG_PREFIX}/${plan}/base`;
export const phaseTag = (plan: string, phase: string) => `${TAG_PREFIX}/${plan}/${phase}`;
/** The plan a full tag name (`phasegate/<plan>/<phase>`) names, or undefined for a bare phase id. */
export function planOfTagName(name: string): string | undefined {
  return name.startsWith(`${TAG_PREFIX}/`) ? name.split('/')[1] : undefined;
}

/** The phase a target names: the last part of `phasegate/<plan>/<phase>`, or a bare phase id as it is. */
export function phaseOfTagName(name: string, plan: string): string {
  return name.startsWith(`${TAG_PREFIX}/`) ? name.slice(`${TAG_PREFIX}/${plan}/`.length) : name;
}
export const tagRef = (tag: string) => `refs/tags/${tag}`;
export const failedRef = (plan: string, phase: string) => `refs/phasegate/${plan}/failed/${phase}`;
export const undoneRef = (plan: string, phase: string) => `refs/phasegate/${plan}/undone/${phase}`;
/** Files phasegate removed (left by a check, a step or a preflight command), kept first; one ref per discard. */
export const discardedRef = (plan: string, when: Date) => `refs/phasegate/${plan}/discarded/${timeStamp(when)}`;
/**
 * An in-place sync replays in the user's own repository: its tags and failed work wait under refs
 * of its own until they are published (or dropped), so that no tag or failed ref of the user's is
 * touched before the one transaction that moves them all (engine/sync/in-place.ts).
 */
export const syncReplayPrefix = (plan: string) => `refs/phasegate/${plan}/sync-replay`;
export const syncReplayTagRef = (plan: string, name: string) => `${syncReplayPrefix(plan)}/tags/${name}`;
export const syncReplayFailedRef = (plan: string, phase: string) => `${syncReplayPrefix(plan)}/failed/${phase}`;
/**
 * What the migration branch and its tags were before a sync: `branch.tip`, and `base` and each
 * phase as the tag objects they were. Kept whether the sync moved them or stopped (SPEC).
 */
export const syncedPrefix = (plan: string, when: Date) => `refs/phasegate/${plan}/synced/${timeStamp(when)}`;
/** The rebuild a sync attempted and did not publish (a phase failed, a commit conflicted, it was interrupted). */
export const syncAttemptRef = (plan: string, when: Date) => `refs/phasegate/${plan}/sync-attempt/${timeStamp(when)}`;
export const defaultBranch = (plan: string) => `phasegate/${plan}`;
export const PHASE_TRAILER = 'Phasegate-Phase';

export function commitMessage(plan: string, title: string, phaseId: string): string {
  return `${plan}: ${title}\n\n${PHASE_TRAILER}: ${phaseId}\n`;
}

/** `20261129-192233-041`: sorts by time, valid in a ref name, unique to the millisecond. */
export function timeStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
}
