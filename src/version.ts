import { readFileSync } from 'node:fs';
import { packageFile } from './package-file.js';

/** Read once from package.json so `--version` never disagrees with what npm installed. */
export const VERSION: string = (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
