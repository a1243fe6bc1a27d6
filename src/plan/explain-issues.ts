import type { z } from 'zod';
import { checkKinds, preflightKinds, stepKinds } from './schema.js';
import type { KeyPath } from './positions.js';

/**
 * Turns zod's issues into one plain sentence per problem, each with the key path it concerns.
 * Unions are the hard part: a step that is wrong in one way fails every branch, so the branch is
 * chosen by the key that names the step's kind (`replace:`, `forbid:` …) or by the value's type,
 * and only that branch's complaints are kept.
 */
export interface Problem {
  path: KeyPath;
  message: string;
  /** Point at the key rather than its value (unknown keys). */
  atKey?: boolean;
}

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

const KIND_REGISTRIES: { matches: (path: KeyPath) => boolean; kinds: Record<string, unknown>; what: string }[] = [
  { matches: (p) => p.at(-2) === 'transform', kinds: stepKinds, what: 'transform step' },
  { matches: (p) => p.at(-2) === 'validate', kinds: checkKinds, what: 'check' },
  { matches: (p) => p.length === 2 && p[0] === 'preflight', kinds: preflightKinds, what: 'preflight check' },
];

export function explainIssues(issues: readonly Issue[], input: unknown, root: Schema, base: KeyPath = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as (string | number)[])];
    const value = valueAt(input, path);
    if (issue.code === 'invalid_union') {
      const registry = KIND_REGISTRIES.find((entry) => entry.matches(path));
      const branch = chooseBranch(issue.errors, value, registry?.kinds);
      if (branch !== undefined) problems.push(...explainIssues(issue.errors[branch], input, root, path));
      else problems.push({ path, message: unionMessage(issue.errors, value, registry) });
    } else if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(root, path, input);
      for (const key of issue.keys) problems.push({ path: [...path, key], atKey: true, message: unknownKeyMessage(key, allowed) });
    } else {
      problems.push({ path, message: describe(issue, value) });
    }
  }
  return problems;
}

function chooseBranch(branches: Issue[][], value: unknown, kinds?: Record<string, unknown>): number | undefined {
  if (kinds) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const index = Object.keys(kinds).findIndex((kind) => kind in value);
    return index < 0 ? undefined : index;
  }
  const fitting = branches.findIndex((issues) => !issues.some((issue) => issue.path.length === 0 && issue.code === 'invalid_type'));
  return fitting < 0 ? undefined : fitting;
}

function unionMessage(branches: Issue[][], value: unknown, registry?: { kinds: Record<string, unknown>; what: string }): string {
  const keys = registry ? Object.keys(registry.kinds).join(', ') : '';
  if (registry && value && typeof value === 'object' && !Array.isArray(value)) {
    const given = Object.keys(value);
    return `not a known ${registry.what}${given.length ? ` (has ${given.map((k) => `'${k}'`).join(', ')})` : ''}: it needs one of the keys ${keys}`;
  }
  if (registry) return `expected a ${registry.what} (a mapping with one of the keys ${keys}), got ${typeName(value)}`;
  const expected = [...new Set(branches.flatMap((issues) => issues.filter((i) => i.path.length === 0 && i.code === 'invalid_type')
    .map((i) => (i as { expected: string }).expected)))];
  return `expected ${expected.map(article).join(' or ')}, got ${typeName(value)}`;
}

function describe(issue: Issue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? 'is required' : `expected ${article(issue.expected)}, got ${typeName(value)}`;
    case 'too_small':
      if (issue.origin === 'array') return issue.minimum === 1 ? 'must not be empty' : `needs at least ${issue.minimum} entries`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}`;
    case 'too_big':
      return `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `has an invalid format` : issue.message;
    default:
      return issue.message;
  }
}

function unknownKeyMessage(key: string, allowed: string[]): string {
  const close = allowed.filter((candidate) => distance(candidate, key) <= Math.max(1, Math.floor(candidate.length / 3)));
  const hint = close.length ? ` — did you mean '${close[0]}'?` : allowed.length ? ` (allowed: ${allowed.join(', ')})` : '';
  return `unknown key '${key}'${hint}`;
}

/** The keys the schema allows for the mapping at `path`, walking objects, arrays and unions. */
function allowedKeys(root: Schema, path: KeyPath, input: unknown): string[] {
  let schema: Schema | undefined = root;
  for (let index = 0; index <= path.length && schema; index++) {
    schema = unwrap(schema, valueAt(input, path.slice(0, index)), path.slice(0, index));
    if (index === path.length || !schema) break;
    const def = schema._zod.def as unknown as { type: string; shape?: Record<string, Schema>; element?: Schema };
    schema = def.type === 'object' ? def.shape?.[path[index] as string] : def.type === 'array' ? def.element : undefined;
  }
  const def = schema?._zod.def as unknown as { type: string; shape?: Record<string, Schema> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(schema: Schema, value: unknown, path: KeyPath): Schema | undefined {
  for (;;) {
    const def = schema._zod.def as unknown as { type: string; innerType?: Schema; options?: Schema[]; in?: Schema };
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') schema = def.innerType!;
    else if (def.type === 'pipe') schema = def.in!;
    else if (def.type === 'union') {
      const registry = KIND_REGISTRIES.find((entry) => entry.matches(path));
      const options = def.options ?? [];
      const kindIndex = registry && value && typeof value === 'object' ? Object.keys(registry.kinds).findIndex((k) => k in value) : -1;
      const pick = kindIndex >= 0 ? options[kindIndex]
        : options.find((option) => (option._zod.def as { type: string }).type === (Array.isArray(value) ? 'array' : typeof value));
      if (!pick) return undefined;
      schema = pick;
    } else return schema;
  }
}

function valueAt(input: unknown, path: KeyPath): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function article(type: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false' };
  return names[type] ?? type;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
