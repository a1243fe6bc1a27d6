import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planJsonSchemaText } from '../src/plan/json-schema.js';

/** The editor JSON Schema is generated (npm run schema) and covers the structural step and checks. */
const checkedIn = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../schema/plan.schema.json'), 'utf8');

describe('the JSON Schema for editors', () => {
  it('is up to date with the zod schema (run `npm run schema` after changing it)', () => {
    expect(checkedIn).toBe(planJsonSchemaText());
  });

  it('describes the codemod step and the structural forms of forbid/require/count', () => {
    const text = JSON.stringify(JSON.parse(checkedIn));
    expect(text).toContain('"codemod"');
    expect(text).toContain('An ast-grep pattern (metavariables $A, $$$ARGS), or a full rule {rule, constraints, utils}.');
    expect(text).toContain('"enum":["cst","smart","ast","relaxed","signature"]');
    expect(text).toMatch(/Language of the code to parse: javascript, typescript, tsx, html, css, python, go, java, rust/);
  });
});
