import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { PlanError, RefusedError } from '../errors.js';
import { planSchema, type PlanDocument } from './schema.js';
import { explainIssues, type Problem } from './explain-issues.js';
import { formatKeyPath, lineCol, offsetOf, pathAtOffset } from './positions.js';
import { structureProblems } from './rules.js';
import { MAX_NESTING, tooDeepAt } from './yaml-limits.js';

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
 * A plan file's text, refused when it cannot be read. Validating it is the caller's next step:
 * `parsePlanWith` here, or engine/plans/load.ts's `loadPlan` with the ast-grep checks too.
 */
export async function readPlanFile(file: string, cwd = process.cwd()): Promise<{ file: string; displayPath: string; source: string }> {
  const absolute = path.resolve(cwd, file);
  const displayPath = displayPathOf(absolute, cwd);
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RefusedError(code === 'ENOENT' ? `plan not found: ${displayPath}` : `cannot read plan ${displayPath}: ${(error as Error).message}`);
  }
  return { file: absolute, displayPath, source: decodePlan(bytes, displayPath) };
}

/**
 * A plan's text. Decoding Latin-1 as UTF-8 would put U+FFFD in its regexes and paths, which then
 * match nothing (or the wrong thing) without a word: refused, at the first byte that is not UTF-8.
 */
export function decodePlan(bytes: Buffer, displayPath: string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index];
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    if (length === 0 || !isUtf8(bytes.subarray(index, index + length)) || index + length > bytes.length) break;
    index += length;
  }
  // A newline byte is never part of a multi-byte character: the line and column are exact.
  const lineStart = index === 0 ? 0 : bytes.lastIndexOf(0x0a, index - 1) + 1;
  const line = bytes.subarray(0, lineStart).filter((byte) => byte === 0x0a).length + 1;
  const col = bytes.subarray(lineStart, index).toString('utf8').length + 1;
  const byte = bytes[index].toString(16).toUpperCase().padStart(2, '0');
  throw new PlanError([`${displayPath}:${line}:${col}: (plan): not valid UTF-8 (byte 0x${byte}); save the plan as UTF-8`]);
}

/**
 * Problems found outside the schema (they need the repository, see scope/confine.ts), reported
 * like the schema's: `file:line:col: key.path: message`.
 */
export async function refusePlanProblems(plan: Plan, problems: Problem[]): Promise<void> {
  if (problems.length === 0) return;
  const source = decodePlan(await readFile(plan.file), plan.displayPath);
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const at: At = (offset, keyPath, message) => `${plan.displayPath}:${lineCol(lineCounter, offset)}: ${formatKeyPath(keyPath)}: ${message}`;
  throw new PlanError(formatProblems(problems, doc, at));
}

/**
 * Parse, then ask `moreProblems` about the plain data (the ast-grep checks, which need a layer
 * above this one: engine/plans/load.ts). Every problem is collected and reported at once as
 * `file:line:col: key.path: what is wrong`, so a user fixes a plan in one pass.
 */
export async function parsePlanWith(source: string, displayPath: string, moreProblems: (data: unknown) => Promise<Problem[]>): Promise<PlanDocument> {
  const parsed = parsePlanSource(source, displayPath);
  const problems = [...parsed.problems];
  if (parsed.data !== undefined) problems.push(...(await moreProblems(parsed.data)));
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
  const deep = tooDeepAt(source);
  if (deep) throw new PlanError([`${displayPath}:${deep.line}:${deep.col}: (plan): nested more than ${MAX_NESTING} levels deep; no plan needs that many`]);
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    // The parser recurses per level: whatever nesting the check above let through must not crash.
    if (error instanceof RangeError) throw new PlanError([`${displayPath}:1:1: (plan): nested too deeply to read`]);
    throw error;
  }
  const at: At = (offset, keyPath, message) => `${displayPath}:${lineCol(lineCounter, offset)}: ${formatKeyPath(keyPath)}: ${message}`;

  if (doc.errors.length > 0) {
    throw new PlanError(doc.errors.map((error) => {
      // The parser places an indentation error at the start of the line: point at the key itself.
      let offset = error.pos[0];
      while (source[offset] === ' ' || source[offset] === '\t') offset++;
      return at(offset, pathAtOffset(doc, offset), yamlMessage(error.code, error.message, source, offset));
    }));
  }
  const data = plainData(doc, at);
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

/**
 * The document as plain values. An alias bomb (aliases of aliases, each expanding nine-fold) is
 * stopped by `maxAliasCount` with a ReferenceError, a chain of aliases too deep to copy by a
 * RangeError: both are refused at the first alias, where the trick starts.
 */
function plainData(doc: Document, at: At): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (!(error instanceof ReferenceError || error instanceof RangeError)) throw error;
    let offset = 0;
    visit(doc, { Alias: (_, node) => { offset = node.range?.[0] ?? 0; return visit.BREAK; } });
    throw new PlanError([at(offset, pathAtOffset(doc, offset), 'aliases expand too far (an alias bomb?); write the values out instead')]);
  }
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
