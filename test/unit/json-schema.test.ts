import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDuration } from '../../src/plan/duration.js';
import { planJsonSchemaText } from '../../src/plan/json-schema.js';

const checkedIn = JSON.parse(readFileSync(new URL('../../schema/plan.schema.json', import.meta.url), 'utf8')) as unknown;

/** Every subschema of the schema given for a `timeout:` key, wherever one is allowed. */
function timeoutSchemas(node: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) node.forEach((item) => timeoutSchemas(item, found));
  else if (node && typeof node === 'object') {
    const properties = (node as { properties?: Record<string, Record<string, unknown>> }).properties;
    if (properties?.timeout) found.push(properties.timeout);
    Object.values(node).forEach((value) => timeoutSchemas(value, found));
  }
  return found;
}

/** What an editor's JSON Schema validator decides for a value, for the keywords a duration uses. */
function accepts(schema: Record<string, unknown>, value: unknown): boolean {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Record<string, unknown>[]).some((branch) => accepts(branch, value));
  const types = [schema.type].flat();
  if (typeof value === 'string') {
    return types.includes('string') && (schema.pattern === undefined || new RegExp(schema.pattern as string, 'u').test(value));
  }
  if (typeof value === 'number') {
    return types.includes('number') && (schema.exclusiveMinimum === undefined || value > (schema.exclusiveMinimum as number));
  }
  return false;
}

describe('plan JSON Schema', () => {
  it('the checked-in JSON Schema is generated from the plan schema (run `npm run schema` when this fails)', () => {
    expect(JSON.stringify(checkedIn, null, 2) + '\n').toBe(planJsonSchemaText());
  });

  it('accepts exactly the durations `phasegate check` accepts, for every timeout', () => {
    const schemas = timeoutSchemas(checkedIn);
    expect(schemas.length).toBeGreaterThan(3);
    for (const schema of schemas) {
      for (const value of ['90s', '10m', '1h', '1h30m', '250ms', '0.5s', 30]) {
        expect(accepts(schema, value), String(value)).toBe(true);
        expect(isDuration(value), String(value)).toBe(true);
      }
      for (const value of ['5 minutes', '10 m', '5', 'h', '1d', '', '0s', 0, -1]) {
        expect(accepts(schema, value), String(value)).toBe(false);
        expect(isDuration(value), String(value)).toBe(false);
      }
    }
  });
});
