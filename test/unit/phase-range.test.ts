import { describe, expect, it } from 'vitest';
import { phaseRange } from '../../src/engine/run/resume.js';

describe('phase range (--from / --to)', () => {
  const ids = ['imports', 'calls', 'cleanup'];

  it('is the whole plan without flags, and resumes from the tags', () => {
    expect(phaseRange(ids, undefined, undefined)).toEqual({ from: 0, to: 2, explicitFrom: false });
  });

  it('takes --from and --to as phase ids, both ends included', () => {
    expect(phaseRange(ids, 'calls', 'calls')).toEqual({ from: 1, to: 1, explicitFrom: true });
    expect(phaseRange(ids, undefined, 'calls')).toEqual({ from: 0, to: 1, explicitFrom: false });
  });

  it('refuses an unknown phase, naming the phases there are', () => {
    expect(() => phaseRange(ids, 'nope', undefined)).toThrow('--from nope: no such phase (phases: imports, calls, cleanup)');
    expect(() => phaseRange(ids, undefined, 'nope')).toThrow('--to nope: no such phase');
  });

  it('refuses --from after --to', () => {
    expect(() => phaseRange(ids, 'cleanup', 'imports')).toThrow('--from cleanup comes after --to imports in the plan');
  });
});
