// The seed's own scripts ("Script 1: Import Path Migration", and Scripts 2 and 3), extracted at
// bench time into temporary files (never committed). The seed lives next to the repository in
// ../shared/seed/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const HEADING = 'Script 1: Import Path Migration';
/** The seed's three scripts, in the order its remediation runs them. */
const HEADINGS = [HEADING, 'Script 2: Factory Pattern Enforcement', 'Script 3: SSOT Compliance Validation'];

function candidates(repoRoot) {
  const dirs = [process.env.PHASEGATE_BENCH_SEED_DIR, path.resolve(repoRoot, '../shared/seed'), '/work/shared/seed'].filter(Boolean);
  return dirs.filter((dir) => existsSync(dir)).flatMap((dir) => readdirSync(dir).map((name) => path.join(dir, name)));
}

/** The python block after `heading` in `text`, or undefined. */
function scriptAfter(text, heading) {
  const at = text.indexOf(heading);
  if (at < 0) return undefined;
  const block = /```python\n([\s\S]*?)\n```/.exec(text.slice(at));
  return block ? `${block[1]}\n` : undefined;
}

function seedTexts(repoRoot) {
  return candidates(repoRoot).flatMap((file) => {
    try {
      return [{ file, text: readFileSync(file, 'utf8') }];
    } catch {
      return [];
    }
  });
}

/** { file, source } of the seed's import-migration script, or undefined with the reason. */
export function findSeedScript(repoRoot) {
  for (const { file, text } of seedTexts(repoRoot)) {
    const source = scriptAfter(text, HEADING);
    if (source) return { file, source };
  }
  return { reason: `no seed file with "${HEADING}" found (looked in ../shared/seed; set PHASEGATE_BENCH_SEED_DIR)` };
}

/** { file, sources: [script 1, 2, 3] } of the seed's three scripts, or { reason }. */
export function findSeedScripts(repoRoot) {
  for (const { file, text } of seedTexts(repoRoot)) {
    const sources = HEADINGS.map((heading) => scriptAfter(text, heading));
    if (sources.every(Boolean)) return { file, sources };
  }
  return { reason: `no seed file with all of ${HEADINGS.map((h) => `"${h}"`).join(', ')} found` };
}

/** The plain interpreter: the pyenv shim adds 70–110 ms per call, which is not the script's cost. */
export function pythonFor() {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}
