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
  /** The file's text as read, recorded in the phase tags (the plan a phase ran with). */
  text?: string;
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
  return { file: absolute, displayPath, document: await parsePlanDeep(source, displayPath), text: source };
}

/**
 * Parse, then check what needs the syntax-tree parser (ast-grep patterns), only when the plan has
 * any. Pattern problems are reported together with the schema's, so one pass fixes everything.
 */
export async function parsePlanDeep(source: string, displayPath: string): Promise<PlanDocument> {
  const parsed = parsePlanSource(source, displayPath);
  const problems = [...parsed.problems];
  if (parsed.data !== undefined && usesStructural(parsed.data)) {
    const { structuralProblems } = await import('./structural-rules.js');
    problems.push(...(await structuralProblems(parsed.data)));
  }
  if (problems.length > 0) throw new PlanError(formatProblems(problems, parsed.doc, parsed.at));
  return parsed.document!;
}

export function parsePlan(source: string, displayPath: string): PlanDocument {
  const parsed = parsePlanSource(source, displayPath);
  if (parsed.problems.length > 0) throw new PlanError(formatProblems(parsed.problems, parsed.doc, parsed.at));
  return parsed.document!;
}

type At = (offset: number, keyPath: (string | number)[], message: string) => string;

function parsePlanSource(source: string, displayPath: string): { doc: Document; at: At; data?: unknown; problems: Problem[]; document?: PlanDocument } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at: At = (offset, keyPath, message) => `${displayPath}:${lineCol(lineCounter, offset)}: ${formatKeyPath(keyPath)}: ${message}`;

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
  return { doc, at, data, problems, document: result.success ? (result.data as PlanDocument) : undefined };
}

function formatProblems(problems: Problem[], doc: Document, at: At): string[] {
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
