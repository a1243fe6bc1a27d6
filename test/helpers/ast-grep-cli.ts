import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * ast-grep's own CLI (the pinned `@ast-grep/cli` dependency) applied to `text`, the way a user
 * would run it: `ast-grep run -p <pattern> -r <fix> -l <language> -U <file>` (or `ast-grep scan
 * --inline-rules <rule> -U <file>` for a full rule), once per spec in order. Computed at test
 * time, so an expectation taken from it cannot drift from the real tool. `untilStable`: the whole
 * list again until the file stops changing (the CLI rewrites one level of nested matches a run).
 */
const binary = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/.bin/ast-grep');
export const EXTENSIONS: Record<string, string> = { python: 'py', typescript: 'ts', go: 'go', java: 'java', rust: 'rs' };

export type CliSpec = { language: string; fix: string } & ({ pattern: string } | { rule: Record<string, unknown> });

export function astGrepCli(specs: readonly CliSpec[], text: string, { untilStable = false } = {}): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'phasegate-ast-grep-'));
  try {
    const file = path.join(folder, `input.${EXTENSIONS[specs[0].language] ?? 'txt'}`);
    writeFileSync(file, text);
    for (let run = 0; run < 16; run++) {
      const before = readFileSync(file, 'utf8');
      for (const spec of specs) {
        const args = 'pattern' in spec
          ? ['run', '-p', spec.pattern, '-r', spec.fix, '-l', spec.language, '-U', file]
          : ['scan', '--inline-rules', JSON.stringify({ id: 'corpus', language: spec.language, ...spec.rule, fix: spec.fix }), '-U', file];
        // Status 1: nothing matched (like grep).
        const ran = spawnSync(binary, args, { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
        if (ran.status !== 0 && ran.status !== 1) throw new Error(`ast-grep ${args.join(' ')}: ${ran.stderr}`);
      }
      if (!untilStable || readFileSync(file, 'utf8') === before) break;
    }
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
