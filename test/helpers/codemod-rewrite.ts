import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rewriteWithCli, type CodemodSpec } from '../../src/structural/cli-rewrite.js';
import { EXTENSIONS } from './ast-grep-cli.js';

/** phasegate's codemod engine (structural/cli-rewrite.ts) on one text, in a folder of its own. */
export async function codemodText(spec: CodemodSpec, text: string): Promise<{ text: string; changed: boolean }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'phasegate-codemod-'));
  try {
    const file = `input.${EXTENSIONS[spec.matcher.language] ?? 'txt'}`;
    writeFileSync(path.join(folder, file), text);
    const result = await rewriteWithCli(spec, [file], { root: folder, signal: new AbortController().signal, progress: () => undefined });
    return { text: readFileSync(path.join(folder, file), 'utf8'), changed: result.changed.length > 0 };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Several specs in order, as several codemod steps would run. */
export async function codemodAll(specs: readonly CodemodSpec[], text: string): Promise<string> {
  let current = text;
  for (const spec of specs) current = (await codemodText(spec, current)).text;
  return current;
}
