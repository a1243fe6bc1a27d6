import { describe, expect, it } from 'vitest';
import { newestFirst } from '../../src/engine/rollback/target.js';
import { tagInfo } from './helpers.js';

describe('rollback undoes phases newest first', () => {
  it('in plan order when the plan knows the phases, whatever the tags\' dates', () => {
    const tags = [tagInfo('a', { date: '2026-01-03' }), tagInfo('c', { date: '2026-01-01' }), tagInfo('b', { date: '2026-01-02' })];
    expect(newestFirst(tags, ['a', 'b', 'c']).map((tag) => tag.phase)).toEqual(['c', 'b', 'a']);
  });

  it('by the tags\' dates without the plan', () => {
    const tags = [tagInfo('a', { date: '2026-01-01' }), tagInfo('c', { date: '2026-01-03' }), tagInfo('b', { date: '2026-01-02' })];
    expect(newestFirst(tags, []).map((tag) => tag.phase)).toEqual(['c', 'b', 'a']);
  });

  it('by date for a tag whose phase the plan no longer has', () => {
    const tags = [tagInfo('gone', { date: '2026-01-05' }), tagInfo('a', { date: '2026-01-01' })];
    expect(newestFirst(tags, ['a']).map((tag) => tag.phase)).toEqual(['gone', 'a']);
  });

  it('leaves the tags it was given in their order', () => {
    const tags = [tagInfo('a'), tagInfo('b')];
    newestFirst(tags, ['a', 'b']);
    expect(tags.map((tag) => tag.phase)).toEqual(['a', 'b']);
  });
});
