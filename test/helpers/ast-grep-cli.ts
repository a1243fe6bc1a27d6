import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * ast-grep's own CLI (the pinned `@ast-grep/cli` devDependency) applied to `text`, the way a user
 * would run it: `ast-grep run -p <pattern> -r <fix> -l <language> -U <file>`, once per spec in
 * order. Computed at test time, so an expectation taken from it cannot drift from the real tool.
 */
const binary = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/.bin/ast-grep');
const extensions: Record<string, string> = { python: 'py', typescript: 'ts', go: 'go', java: 'java', rust: 'rs' };

export interface CliSpec { language: string; pattern: string; fix: string }

export function astGrepCli(specs: readonly CliSpec[], text: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'phasegate-ast-grep-'));
  try {
    const file = path.join(folder, `input.${extensions[specs[0].language] ?? 'txt'}`);
    writeFileSync(file, text);
    for (const { language, pattern, fix } of specs) {
      execFileSync(binary, ['run', '-p', pattern, '-r', fix, '-l', language, '-U', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    }
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
