import { describe, expect, it } from 'vitest';
import { foreignTagReason, parseTagMessage, recordedBranch } from '../../src/git/tag-record.js';
import { baseTagMessage, tagMessage } from '../../src/engine/tag-record.js';
import type { PhaseReport } from '../../src/report/model.js';
import { tagInfo } from './helpers.js';

const phase = {
  id: 'imports', title: 'Imports', hash: 'abc', startCommit: 's1', score: 90, threshold: 85, filesChanged: 2, insertions: 3, deletions: 1,
  durations: { transformMs: 1, validateMs: 2, checkpointMs: 3, totalMs: 6 },
  checks: [{ name: 'no-old', kind: 'forbid', passed: true, weight: 1, required: false, durationMs: 4, summary: '0 matches', details: { before: 3, after: 0 } }],
} as unknown as PhaseReport;

describe('tag records', () => {
  it('a phase tag\'s message is its record as JSON, read back whole', () => {
    const record = parseTagMessage(tagMessage('p', phase, 'c1'));
    expect(record).toMatchObject({ phasegate: 1, plan: 'p', phase: 'imports', hash: 'abc', commit: 'c1', startCommit: 's1', score: 90, summary: 'phasegate p: imports passed (score 90%)' });
    expect(record?.checks[0]).toMatchObject({ name: 'no-old', before: 3, after: 0 });
  });

  it('tolerates a title line before the JSON (tags of earlier versions)', () => {
    expect(parseTagMessage(`phasegate p: imports\n\n${tagMessage('p', phase, 'c1')}`)?.phase).toBe('imports');
  });

  it.each([[''], ['just words'], ['{ not json'], ['{"phasegate": 2, "plan": "p"}']])('is not a record: %j', (message) => {
    expect(parseTagMessage(message)).toBeUndefined();
  });

  it('the base tag records the migration branch', () => {
    expect(recordedBranch(tagInfo('base', { message: baseTagMessage('p', 'phasegate/p') }))).toBe('phasegate/p');
    expect(recordedBranch(tagInfo('base', { message: baseTagMessage('p', null) }))).toBeNull();
    expect(recordedBranch(tagInfo('base', { message: 'made by hand' }))).toBeNull();
  });

  it('a tag is phasegate\'s only when annotated with this plan\'s record for this phase', () => {
    const message = tagMessage('p', phase, 'c1');
    expect(foreignTagReason(tagInfo('imports', { message }), 'p')).toBeUndefined();
    expect(foreignTagReason(tagInfo('imports', { message, annotated: false }), 'p')).toBe('is a lightweight tag');
    expect(foreignTagReason(tagInfo('imports', { message: 'hand-made' }), 'p')).toBe('does not carry phasegate\'s record in its message');
    expect(foreignTagReason(tagInfo('calls', { message }), 'p')).toBe('carries the record of p/imports, not of p/calls');
    expect(foreignTagReason(tagInfo('imports', { message }), 'q')).toBe('carries the record of p/imports, not of q/imports');
  });
});
