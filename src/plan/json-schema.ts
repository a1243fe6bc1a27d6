import { z } from 'zod';
import { planSchema } from './schema.js';

/** The editor JSON Schema, generated from the same zod schema that validates plans. */
export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(planSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return {
    ...schema,
    $id: 'https://phasegate.dev/schema/plan.schema.json',
    title: 'phasegate plan',
    description: 'A phasegate migration plan: phases that transform, validate and checkpoint a repository.',
  };
}

export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
