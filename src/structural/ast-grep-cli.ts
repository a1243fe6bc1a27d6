import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StepError } from '../errors.js';
import { runProgram } from '../process/program.js';
import { napiConfig, type MatcherSpec } from './matcher.js';
import { LANGUAGE_EXTENSIONS } from '../plan/languages.js';
import { napiLanguage } from './napi.js';

/**
 * ast-grep's own CLI (the pinned `@ast-grep/cli` dependency) as the codemod engine: users compare
 * a codemod with `ast-grep run -p … -r … -U`, so the replacement text is the CLI's, byte for byte,
 * and the CLI parses the files on every core. It only reads: `scan --json=stream` reports each
 * match with its replacement and byte offsets, and phasegate writes the files itself (cli-rewrite.ts).
 *
 * One scan runs two rules: the step's (with its `fix`), and "the root has an ERROR node", so that
 * files that do not parse are known from the same parse. (Asked at the root only: a `kind: ERROR`
 * rule is tried at every node and cost ~25% more CPU on the benchmark; the root's match spans the
 * whole file, so the line of the first error is found afterwards, for those few files only.) A config file of our own is always given: the CLI
 * would otherwise pick up an `sgconfig.yml` of the repository, and its `languageGlobs` makes every
 * listed file parse as the step's language, as a step's own `files:` asks.
 */
export const FIX_RULE = 'phasegate-fix';

/** A match as the CLI reports it; offsets are in bytes. */
export interface CliMatch {
  file: string;
  start: number;
  end: number;
  /** 0-based line where the match starts. */
  line: number;
  replacement: string;
}

/** Paths per CLI call: the argv limit is far away, and the next batch parses while one is applied. */
const FIRST_BATCH = 200;
const FILES_PER_BATCH = 1500;
const ARGV_BYTES_PER_BATCH = 192 * 1024;

const require = createRequire(import.meta.url);
let binary: string | undefined;

/** The CLI's binary, from node_modules (never PATH: the version is the one pinned). */
export function astGrepBinary(): string {
  if (binary) return binary;
  const name = process.platform === 'win32' ? 'ast-grep.exe' : 'ast-grep';
  const candidates: string[] = [];
  for (const pkg of ['@ast-grep/cli', ...platformPackages()]) {
    try {
      candidates.push(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), name));
    } catch {
      // Not installed for this platform: try the next.
    }
  }
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new StepError(`ast-grep's CLI (@ast-grep/cli) is not installed for ${process.platform}-${process.arch}; reinstall phasegate's dependencies (npm ci)`);
  binary = found;
  return found;
}

/** The package holding the prebuilt binary, as @ast-grep/cli's own postinstall names it. */
function platformPackages(): string[] {
  const { platform, arch } = process;
  if (platform === 'darwin') return [`@ast-grep/cli-darwin-${arch}`];
  if (platform === 'linux') return [`@ast-grep/cli-linux-${arch}-gnu`];
  if (platform === 'win32') return [`@ast-grep/cli-win32-${arch}-msvc`];
  return [];
}

/** The inline rule: JSON is YAML, so no YAML writer is needed (and nothing is re-quoted). */
export function inlineRule(spec: MatcherSpec, fix: string): string {
  const matcher = napiConfig(spec) as unknown as Record<string, unknown>;
  return `${JSON.stringify({ id: FIX_RULE, language: napiLanguage(spec.language), ...matcher, fix })}\n`;
}

/** The CLI's arguments before the file names; `config`: where scan's config file goes. */
function commandOf(spec: MatcherSpec, fix: string, files: readonly string[], config: string): string[] {
  const language = napiLanguage(spec.language);
  const extensions = LANGUAGE_EXTENSIONS[language] ?? [];
  // `run` reads the repository's sgconfig.yml too (a broken one fails it, its languageGlobs can
  // hide every file): it gets ours as well.
  writeFileSync(config, `ruleDirs: []\nlanguageGlobs:\n  ${JSON.stringify(language)}: ["*"]\n`);
  if (spec.pattern !== undefined && files.every((file) => extensions.some((extension) => file.endsWith(extension)))) {
    const strictness = spec.strictness ? ['--strictness', spec.strictness] : [];
    return ['run', '--config', config, '--pattern', spec.pattern, '--rewrite', fix, '--lang', language, ...strictness, '--json=stream', '--'];
  }
  return ['scan', '--config', config, '--inline-rules', inlineRule(spec, fix), '--json=stream', '--'];
}

export interface CliScanOptions {
  root: string;
  signal: AbortSignal;
  /** Called once per batch, in order, with that batch's matches grouped by file (files without any left out). */
  onBatch(matches: Map<string, CliMatch[]>, done: number): void;
}

/**
 * Runs the CLI over batches of files (relative to `root`) as they come — the first while the
 * candidates after it are still being chosen. The next batch is started before the matches of
 * one are handed over, so the CLI keeps parsing while phasegate writes.
 */
export async function scanWithCli(spec: MatcherSpec, fix: string, batches: AsyncIterable<readonly string[]> | readonly string[], options: CliScanOptions): Promise<void> {
  const iterator = Array.isArray(batches) ? arrayBatches(batches as readonly string[]) : (batches as AsyncIterable<readonly string[]>)[Symbol.asyncIterator]();
  // Named with the pid, as scratch folders are (engine/scratch/folder.ts): after a kill -9 the next command removes it.
  const folder = mkdtempSync(path.join(tmpdir(), `phasegate-ast-grep-${process.pid}-`));
  const start = (files: readonly string[]) => {
    const scan = scanBatch([astGrepBinary(), ...commandOf(spec, fix, files, path.join(folder, 'sgconfig.yml'))], files, options);
    // Awaited below; until then a failure must not count as unhandled.
    scan.catch(() => undefined);
    return { scan, size: files.length };
  };
  try {
    const first = await iterator.next();
    if (first.done) return;
    let running = start(first.value);
    let done = 0;
    for (;;) {
      let upcoming: IteratorResult<readonly string[]>;
      try {
        upcoming = await iterator.next();
      } catch (error) {
        await running.scan.catch(() => undefined);
        throw error;
      }
      const current = await running.scan;
      done += running.size;
      if (!upcoming.done) running = start(upcoming.value);
      try {
        options.onBatch(current, done);
      } catch (error) {
        // Nothing more is written after a failure; the batch already started is waited for.
        if (!upcoming.done) await running.scan.catch(() => undefined);
        throw error;
      }
      if (upcoming.done) return;
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Paths per CLI call: the first batch small (the CLI starts early), then up to the limits. */
export class BatchBuilder {
  private current: string[] = [];
  private bytes = 0;
  private limit = FIRST_BATCH;

  /** Adds a file; returns a full batch when one is ready. */
  add(file: string): string[] | undefined {
    const size = Buffer.byteLength(file) + 1;
    let full: string[] | undefined;
    if (this.current.length > 0 && (this.current.length >= this.limit || this.bytes + size > ARGV_BYTES_PER_BATCH)) full = this.take();
    this.current.push(file);
    this.bytes += size;
    return full;
  }

  /** What is left, if anything. */
  take(): string[] | undefined {
    if (this.current.length === 0) return undefined;
    const batch = this.current;
    this.current = [];
    this.bytes = 0;
    this.limit = FILES_PER_BATCH;
    return batch;
  }
}

async function* arrayBatches(files: readonly string[]): AsyncGenerator<readonly string[]> {
  const builder = new BatchBuilder();
  for (const file of files) {
    const full = builder.add(file);
    if (full) yield full;
  }
  const rest = builder.take();
  if (rest) yield rest;
}

async function scanBatch(head: readonly string[], files: readonly string[], options: CliScanOptions): Promise<Map<string, CliMatch[]>> {
  const matches = new Map<string, CliMatch[]>();
  const decoder = new LineDecoder((line) => {
    const match = parseLine(line);
    if (!match) return;
    const list = matches.get(match.file);
    if (list) list.push(match);
    else matches.set(match.file, [match]);
  });
  const [file, ...args] = head;
  const result = await runProgram(file, [...args, ...files], { cwd: options.root, signal: options.signal, onStdout: (chunk) => decoder.write(chunk) });
  decoder.end();
  options.signal.throwIfAborted();
  // `run` exits 1 when nothing matched, as grep does.
  if (result.exitCode !== 0 && !(result.exitCode === 1 && matches.size === 0 && result.stderrTail.length === 0)) {
    const why = result.exitCode !== undefined ? `exited with status ${result.exitCode}` : `was killed by ${result.signal ?? 'a signal'}`;
    throw new StepError(`ast-grep ${why}: ${result.stderrTail.slice(-3).join(' · ') || 'no message'}`);
  }
  return matches;
}

interface JsonMatch {
  file: string;
  ruleId?: string;
  range: { byteOffset: { start: number; end: number }; start: { line: number } };
  replacement?: string;
  replacementOffsets?: { start: number; end: number };
}

function parseLine(line: string): CliMatch | undefined {
  if (line.trim() === '') return undefined;
  const json = JSON.parse(line) as JsonMatch;
  const file = json.file.startsWith('./') ? json.file.slice(2) : json.file;
  if ((json.ruleId !== undefined && json.ruleId !== FIX_RULE) || json.replacement === undefined) return undefined;
  const offsets = json.replacementOffsets ?? json.range.byteOffset;
  return { file, start: offsets.start, end: offsets.end, line: json.range.start.line, replacement: json.replacement };
}

/** Complete lines out of a byte stream (a line may be split across chunks, a character too). */
class LineDecoder {
  private pending: Buffer[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      const line = this.pending.length > 0 ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      this.onLine(line.toString('utf8'));
      start = newline + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  end(): void {
    if (this.pending.length > 0) this.onLine(Buffer.concat(this.pending).toString('utf8'));
    this.pending = [];
  }
}
