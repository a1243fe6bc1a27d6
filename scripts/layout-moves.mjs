// For merging branches made before issue 13's layout: rewrites relative imports (in src/ and
// test/) that still name a file at its old place, and lists files that still stand at an old place
// (a branch that edited a file which has moved since: carry its edit over to the new place).
// Run after resolving a merge's conflicts by taking the other branch's import lines:
//   node scripts/layout-moves.mjs && npx tsc -p tsconfig.json --noEmit
// Delete this file once every branch of that time is merged.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MOVED = {
  "src/engine/journal.ts": "src/state/journal.ts",
  "src/engine/lock.ts": "src/state/lock.ts",
  "src/engine/state-dir.ts": "src/state/state-dir.ts",
  "src/engine/atomic-file.ts": "src/state/atomic-file.ts",
  "src/engine/run-plan.ts": "src/engine/run/run-plan.ts",
  "src/engine/phase-run.ts": "src/engine/run/phase-run.ts",
  "src/engine/phase-task.ts": "src/engine/run/phase-task.ts",
  "src/engine/run-session.ts": "src/engine/run/run-session.ts",
  "src/engine/resume.ts": "src/engine/run/resume.ts",
  "src/engine/preflight.ts": "src/engine/run/preflight.ts",
  "src/engine/branch-plan.ts": "src/engine/run/branch-plan.ts",
  "src/engine/head-guard.ts": "src/engine/run/head-guard.ts",
  "src/engine/working-tree.ts": "src/engine/run/working-tree.ts",
  "src/engine/score.ts": "src/engine/run/gate.ts",
  "src/engine/rollback.ts": "src/engine/rollback/perform.ts",
  "src/engine/rollback-target.ts": "src/engine/rollback/target.ts",
  "src/engine/rollback-steps.ts": "src/engine/rollback/steps.ts",
  "src/engine/rollback-branch.ts": "src/engine/rollback/branch.ts",
  "src/engine/rollback-recovery.ts": "src/engine/rollback/finish-interrupted.ts",
  "src/engine/recover.ts": "src/engine/recovery/recover.ts",
  "src/engine/restore-checkpoint.ts": "src/engine/recovery/restore-checkpoint.ts",
  "src/engine/dry-run.ts": "src/engine/scratch/dry-run.ts",
  "src/engine/rehearse.ts": "src/engine/scratch/rehearse.ts",
  "src/engine/scratch-clone.ts": "src/engine/scratch/clone.ts",
  "src/engine/scratch-carry.ts": "src/engine/scratch/carry.ts",
  "src/engine/scratch-hint.ts": "src/engine/scratch/hint.ts",
  "src/engine/scratch-plan.ts": "src/engine/scratch/place-plan.ts",
  "src/engine/task-list.ts": "src/engine/tasklist/task-list.ts",
  "src/engine/line-renderer.ts": "src/engine/tasklist/line-renderer.ts",
  "src/engine/progress.ts": "src/engine/tasklist/progress.ts",
  "src/engine/mode.ts": "src/engine/tasklist/mode.ts"
};
const OLD_OF = Object.fromEntries(Object.entries(MOVED).map(([from, to]) => [to, from]));

const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const file = path.join(dir, name);
  return statSync(file).isDirectory() ? walk(file) : /\.(ts|mts|mjs)$/.test(name) ? [file] : [];
});

for (const old of Object.keys(MOVED)) if (existsSync(old)) console.log(`still at its old place: ${old} (belongs at ${MOVED[old]})`);

for (const file of [...walk('src'), ...walk('test')]) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(/(from\s+|import\(\s*|import\s+)(['"])(\.{1,2}\/[^'"]+)\.js\2/g, (whole, before, quote, spec) => {
    if (existsSync(path.join(path.dirname(file), `${spec}.ts`))) return whole;
    // Resolve from where this file is now, or from where it was (an import line kept from before the move).
    const candidates = [path.dirname(file), path.dirname(OLD_OF[file] ?? file)].map((dir) => path.normalize(path.join(dir, `${spec}.ts`)));
    const target = candidates.map((old) => MOVED[old] ?? old).find((place) => existsSync(place));
    if (!target) return whole;
    let relative = path.relative(path.dirname(file), target).replace(/\.ts$/, '.js');
    if (!relative.startsWith('.')) relative = `./${relative}`;
    return `${before}${quote}${relative}${quote}`;
  });
  if (fixed !== text) {
    writeFileSync(file, fixed);
    console.log(`imports fixed: ${file}`);
  }
}
