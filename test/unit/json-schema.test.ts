import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planJsonSchemaText } from '../../src/plan/json-schema.js';

describe('plan JSON Schema', () => {
  it('the checked-in JSON Schema is generated from the plan schema (run `npm run schema` when this fails)', () => {
    expect(readFileSync(new URL('../../schema/plan.schema.json', import.meta.url), 'utf8')).toBe(planJsonSchemaText());
  });
});
