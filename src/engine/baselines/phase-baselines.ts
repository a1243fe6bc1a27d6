import type { Phase } from '../../plan/schema.js';
import type { CheckReport } from '../../report/model.js';
import { readPhasegateTags } from '../plan-tags.js';
import type { RunSession } from '../run/run-session.js';
import { recordedBaselines } from '../../git/tag-record.js';
import { baselineKey, isRatchet, junitChecks, type Baselines, type JUnitBaseline } from './baselines.js';
import { captureJUnitBaselines } from './capture.js';

/**
 * The JUnit baselines a phase is judged against: those the base tag recorded when the run started.
 * A check the base tag knows nothing of (the plan gained it later, or the base tag is older than
 * baselines) is measured now, on the tree the phase starts from — the nearest thing to base left.
 */
export async function junitBaselinesFor(session: RunSession, phase: Phase, notice: (text: string) => void): Promise<Record<string, JUnitBaseline>> {
  if (junitChecks(phase).length === 0) return {};
  const recorded = recordedBaselines((await readPhasegateTags(session.git, session.doc.name)).get('base'))?.junit ?? {};
  const measured = await captureJUnitBaselines({ ...session, plan: session.doc.name, notice }, [phase], recorded);
  return { ...recorded, ...measured };
}

/** What the phase's tag records: the JUnit baselines its checks used, and each ratchet's count now. */
export function phaseTagBaselines(phase: Phase, junit: Record<string, JUnitBaseline>, checks: readonly CheckReport[]): Baselines | undefined {
  const baselines: Baselines = {};
  for (const { index } of junitChecks(phase)) {
    const key = baselineKey(phase.id, index);
    if (junit[key]) (baselines.junit ??= {})[key] = junit[key];
  }
  (phase.validate ?? []).forEach((check, index) => {
    const after = checks.find((report) => report.index === index)?.details.matchCount;
    if (isRatchet(check) && after !== undefined) (baselines.counts ??= {})[baselineKey(phase.id, index)] = after;
  });
  return baselines.junit || baselines.counts ? baselines : undefined;
}
