import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Plan } from '../../plan/load.js';
import type { PlanDocument } from '../../plan/schema.js';
import { writeFileAtomic } from '../../state/atomic-file.js';
import { VERSION } from '../../version.js';

/**
 * Plans as commands load them, quickly. Validating a plan takes the YAML parser and the schema
 * library, ~200 ms of start-up (more when ast-grep has to check a codemod pattern) for a command
 * that otherwise needs ~100 ms. A document that passed validation is kept in
 * `.git/phasegate/plans/<key>.json`, the key being a hash of phasegate's version and the file's
 * exact bytes; an unchanged plan is read back from there, anything else is validated as usual.
 * `remember: false` (a read-only command: status, verify, rehearse, --dry-run) reads the cache but
 * never writes it: those commands leave the repository as they found it, .git included.
 * The cache is a convenience: a cache that cannot be read or written only costs the time it saves.
 */
const KEEP = 20;

export interface CacheUse {
  /** Add a newly validated plan to the cache; false for a command that must write nothing. */
  remember?: boolean;
}

export async function loadPlanCached(file: string, cwd: string, stateDir: string, use: CacheUse = {}): Promise<Plan> {
  const absolute = path.resolve(cwd, file);
  let source: Buffer;
  try {
    source = readFileSync(absolute);
  } catch {
    return (await import('./load.js')).loadPlan(file, cwd);
  }
  const displayPath = displayPathOf(absolute, cwd);
  return { file: absolute, displayPath, document: await documentCached(source, displayPath, stateDir, use), text: source.toString('utf8') };
}

/** A plan's validated document from its bytes, through the cache. */
export async function documentCached(source: Buffer, displayPath: string, stateDir: string, { remember: keep = true }: CacheUse = {}): Promise<PlanDocument> {
  const dir = path.join(stateDir, 'plans');
  const cached = path.join(dir, `${createHash('sha256').update(`${VERSION}\0`).update(source).digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as PlanDocument;
  } catch {
    // not cached yet
  }
  const [{ decodePlan }, { parsePlanDeep }] = await Promise.all([import('../../plan/load.js'), import('./load.js')]);
  const document = await parsePlanDeep(decodePlan(source, displayPath), displayPath);
  if (keep) remember(dir, cached, document);
  return document;
}

function remember(dir: string, file: string, document: PlanDocument): void {
  try {
    const json = JSON.stringify(document);
    // Only what comes back exactly (YAML can hold values JSON cannot, such as .inf).
    if (!isDeepStrictEqual(JSON.parse(json), document)) return;
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(file, json);
    const entries = readdirSync(dir).filter((name) => name.endsWith('.json'));
    if (entries.length > KEEP) {
      const byAge = entries.map((name) => ({ name, time: statSync(path.join(dir, name)).mtimeMs })).sort((a, b) => a.time - b.time);
      for (const entry of byAge.slice(0, entries.length - KEEP)) rmSync(path.join(dir, entry.name), { force: true });
    }
  } catch {
    // best effort: the next status validates again
  }
}

/** As loadPlan shows paths (plan/load.ts is not imported up front: it brings the YAML parser). */
function displayPathOf(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}
