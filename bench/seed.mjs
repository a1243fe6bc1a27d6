// The seed's own "Script 1: Import Path Migration", extracted at bench time into a temporary file
// (never committed). The seed lives next to the repository in ../shared/seed/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const HEADING = 'Script 1: Import Path Migration';

function candidates(repoRoot) {
  const dirs = [process.env.PHASEGATE_BENCH_SEED_DIR, path.resolve(repoRoot, '../shared/seed'), '/work/shared/seed'].filter(Boolean);
  return dirs.filter((dir) => existsSync(dir)).flatMap((dir) => readdirSync(dir).map((name) => path.join(dir, name)));
}

/** { file, source } of the seed's import-migration script, or undefined with the reason. */
export function findSeedScript(repoRoot) {
  for (const file of candidates(repoRoot)) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const at = text.indexOf(HEADING);
    if (at < 0) continue;
    const block = /```python\n([\s\S]*?)\n```/.exec(text.slice(at));
    if (block) return { file, source: `${block[1]}\n` };
  }
  return { reason: `no seed file with "${HEADING}" found (looked in ../shared/seed; set PHASEGATE_BENCH_SEED_DIR)` };
}

/** The plain interpreter: the pyenv shim adds 70–110 ms per call, which is not the script's cost. */
export function pythonFor() {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}
