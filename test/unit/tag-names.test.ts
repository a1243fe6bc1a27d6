import { describe, expect, it } from 'vitest';
import { phaseOfTagName, planOfTagName } from '../../src/git/names.js';

describe('rollback targets: a phase id, base, or a full tag name', () => {
  it('a full tag name names its plan and phase', () => {
    expect(planOfTagName('phasegate/shop/imports')).toBe('shop');
    expect(phaseOfTagName('phasegate/shop/imports', 'shop')).toBe('imports');
    expect(phaseOfTagName('phasegate/shop/base', 'shop')).toBe('base');
  });

  it('a bare phase id names no plan and is its own phase', () => {
    expect(planOfTagName('imports')).toBeUndefined();
    expect(phaseOfTagName('imports', 'shop')).toBe('imports');
  });
});
