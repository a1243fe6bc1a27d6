import type { TagInfo } from '../../src/git/tags.js';

/** A phase tag as git/tags.ts reads it, for the pure rules that take tags. */
export function tagInfo(phase: string, fields: Partial<TagInfo> = {}): TagInfo {
  return { name: `phasegate/p/${phase}`, phase, commit: `${phase}-commit`, date: '2026-01-01T00:00:00Z', message: '', annotated: true, ...fields };
}
