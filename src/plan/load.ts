import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { PlanError, RefusedError } from '../errors.js';
import { planSchema, type PlanDocument } from './schema.js';
import { explainIssues, type Problem } from './explain-issues.js';
import { formatKeyPath, lineCol, offsetOf, pathAtOffset } from './positions.js';
import { structureProblems } from './rules.js';
import { usesStructural } from './structural-rules.js';

export interface Plan {
  /** Absolute path of the plan file. */
  file: string;
  /** The path as shown in messages (relative to the working directory when inside it). */
  displayPath: string;
  document: PlanDocument;
}

/**
 * Reads and validates a plan. Every problem is collected and reported at once as
 * `file:line:col: key.path: what is wrong`, so a user fixes a plan in one pass.
 */
export async function loadPlan(file: string, cwd = process.cwd()): Promise<Plan> {
  const absolute = path.resolve(cwd, file);
  const displayPath = displayPathOf(absolute, cwd);
  let source: string;
  try {
    source = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RefusedError(code === 'ENOENT' ? `plan not found: ${displayPath}` : `cannot read plan ${displayPath}: ${(error as Error).message}`);
  }
  return { file: absolute, displayPath, document: await parsePlanDeep(source, displayPath) };
}

/** Parse, then check what needs the syntax-tree parser (ast-grep patterns), only when the plan has any. */
export async function parsePlanDeep(source: string, displayPath: string): Promise<PlanDocument> {
  const document = parsePlan(source, displayPath);
  if (!usesStructural(document)) return document;
  const { structuralProblems } = await import('./structural-rules.js');
  const problems = await structuralProblems(document);
  if (problems.length > 0) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(source, { lineCounter });
    throw new PlanError(formatProblems(problems, doc, (offset, keyPath, message) => `${displayPath}:${lineCol(lineCounter, offset)}: ${formatKeyPath(keyPath)}: ${message}`));
  }
  return document;
}

export function parsePlan(source: string, displayPath: string): PlanDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, keyPath: (string | number)[], message: string) =>
    `${displayPath}:${lineCol(lineCounter, offset)}: ${formatKeyPath(keyPath)}: ${message}`;

  if (doc.errors.length > 0) {
    throw new PlanError(doc.errors.map((error) => {
      const offset = error.pos[0];
      return at(offset, pathAtOffset(doc, offset), yamlMessage(error.code, error.message, source, offset));
    }));
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new PlanError([`${displayPath}:1:1: (plan): expected a mapping with version, name and phases`]);
  }
  const result = planSchema.safeParse(data, { reportInput: true });
  const problems: Problem[] = [
    ...(result.success ? [] : explainIssues(result.error.issues, data, planSchema)),
    ...structureProblems(data),
  ];
  if (problems.length > 0) throw new PlanError(formatProblems(problems, doc, at));
  return result.data as PlanDocument;
}

function formatProblems(problems: Problem[], doc: Document, at: (offset: number, keyPath: (string | number)[], message: string) => string): string[] {
  const located = problems.map((problem) => ({ offset: offsetOf(doc, problem.path, { atKey: problem.atKey }).offset, problem }));
  located.sort((a, b) => a.offset - b.offset);
  const lines = located.map(({ offset, problem }) => at(offset, [...problem.path], problem.message));
  return [...new Set(lines)];
}

function yamlMessage(code: string, message: string, source: string, offset: number): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^\s:]+/.exec(source.slice(offset))?.[0];
    return key ? `duplicate key '${key.replace(/^["']|["']$/g, '')}'` : 'duplicate key';
  }
  return `invalid YAML: ${message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
}

function displayPathOf(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}
