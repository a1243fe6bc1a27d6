import type { GitClient } from '../git/client.js';

/**
 * The last attempt of each phase that did not end in its tag: failed, interrupted, or undone by a
 * rollback. The work is on `refs/phasegate/<plan>/failed/<id>` or `…/undone/<id>`; when and why are
 * the message and time of that ref's reflog entry (written with the ref, see `attemptReason`).
 * Without a reflog (expired, or written by an earlier phasegate) the kept commit's date stands in.
 */
export interface Attempt {
  status: 'failed' | 'interrupted' | 'rolled-back';
  at: string | null;
  reason: string | null;
  /** Where the attempt's work is kept. */
  ref: string;
  commit: string;
}

/** The reflog message of a failed ref: `phasegate: <phase> failed: <reason>` (one line). */
export function attemptReason(phase: string, why: 'failed' | 'interrupted', reason: string | undefined): string {
  const first = reason?.split('\n')[0].trim();
  const line = first === why ? undefined : first;
  return `phasegate: ${phase} ${why}${line ? `: ${line.length > 300 ? `${line.slice(0, 299)}…` : line}` : ''}`;
}

export async function lastAttempts(git: GitClient, plan: string): Promise<Map<string, Attempt>> {
  const prefix = `refs/phasegate/${plan}/`;
  const refs = (await git.lines(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(committerdate:iso-strict)', `${prefix}failed/`, `${prefix}undone/`]))
    .map((line) => line.split('\0'))
    .map(([ref, commit, date]) => ({ ref, commit, date, kind: ref.slice(prefix.length).split('/')[0], phase: ref.slice(prefix.length).split('/').slice(1).join('/') }))
    // Commits made by hand and undone by a rollback are no phase's attempt.
    .filter((entry) => entry.phase && !entry.phase.startsWith('manual-'));
  const attempts = await Promise.all(refs.map(async (entry): Promise<[string, Attempt]> => {
    const logged = await lastReflogEntry(git, entry.ref);
    const failed = entry.kind === 'failed' ? /^phasegate: \S+ (failed|interrupted)(?:: (.*))?$/.exec(logged?.message ?? '') : null;
    const status = entry.kind === 'undone' ? 'rolled-back' : failed?.[1] === 'interrupted' ? 'interrupted' : 'failed';
    const reason = entry.kind === 'undone' ? (/^phasegate: (rollback to .*)$/.exec(logged?.message ?? '')?.[1] ?? null) : (failed?.[2] ?? null);
    return [entry.phase, { status, at: logged?.at ?? entry.date ?? null, reason, ref: entry.ref, commit: entry.commit }];
  }));
  const newest = new Map<string, Attempt>();
  for (const [phase, attempt] of attempts) {
    const known = newest.get(phase);
    if (!known || time(attempt.at) > time(known.at)) newest.set(phase, attempt);
  }
  return newest;
}

/** Whether an attempt came after the phase's tag (a tag made in the same second wins). */
export function isAfter(attempt: Attempt, taggedAt: string | null): boolean {
  return taggedAt === null || time(attempt.at) > time(taggedAt);
}

async function lastReflogEntry(git: GitClient, ref: string): Promise<{ at: string; message: string } | undefined> {
  try {
    const line = (await git.run(['reflog', 'show', '--date=iso-strict', '--format=%gd%x00%gs', '-n', '1', ref])).split('\n')[0];
    const [selector, message] = line.split('\0');
    const at = /@\{(.+)\}$/.exec(selector ?? '')?.[1];
    return at && message !== undefined ? { at, message } : undefined;
  } catch {
    return undefined;
  }
}

function time(date: string | null): number {
  const value = date ? Date.parse(date) : NaN;
  return Number.isNaN(value) ? 0 : value;
}
