import { describe, expect, it } from 'vitest';
import { checkpointBefore, type PlanState } from '../../src/engine/plan-state.js';
import { tagInfo } from './helpers.js';

describe('plan state: the checkpoint a run builds on', () => {
  const phase = (id: string, tagged: boolean, index: number) => ({ phase: { id } as never, index, hash: 'h', tag: tagged ? tagInfo(id) : undefined, changed: false });
  const state: PlanState = { base: tagInfo('base'), phases: [phase('a', true, 0), phase('b', false, 1), phase('c', true, 2)], strayTags: [] };

  it('is base for the first phase', () => {
    expect(checkpointBefore(state, 0)?.phase).toBe('base');
  });

  it('is the nearest earlier tagged phase, skipping untagged ones', () => {
    expect(checkpointBefore(state, 1)?.phase).toBe('a');
    expect(checkpointBefore(state, 2)?.phase).toBe('a');
    expect(checkpointBefore(state, 3)?.phase).toBe('c');
  });

  it('is nothing before the first run (no base tag yet)', () => {
    expect(checkpointBefore({ phases: [phase('a', false, 0)], strayTags: [] }, 0)).toBeUndefined();
  });
});
