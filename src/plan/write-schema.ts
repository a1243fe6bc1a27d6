import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { planJsonSchemaText } from './json-schema.js';

// `npm run schema` regenerates the checked-in schema; a test fails when it is stale.
const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema/plan.schema.json');
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, planJsonSchemaText());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
