import { checkKind, checkTitle } from '../../checks/index.js';
import { RefusedError } from '../../errors.js';
import type { Check, PlanDocument } from '../../plan/schema.js';
import { PhaseFiles } from '../../scope/files.js';
import type { GitClient } from '../../git/client.js';
import { discardedRef } from '../../git/names.js';
import { discardWorkingTree, pointHeadAt } from '../../git/restore.js';
import { headMoved, headPosition, type HeadPosition } from './head-guard.js';

/**
 * `preflight:` checks run on the starting tree before anything changes; any failure refuses the run.
 * A preflight command must only look: whatever it changes would end up in phase 1's commit, so a
 * changed tree (or a moved HEAD) is put back as it was and the run refused, naming the files.
 */
export async function runPreflight(
  doc: PlanDocument,
  where: { root: string; git: GitClient; planPath: string | undefined; signal: AbortSignal; env: Record<string, string>; neverStage: readonly string[] },
): Promise<string[]> {
  const failures: string[] = [];
  const checks: Check[] = doc.preflight ?? [];
  if (checks.length === 0) return failures;
  // Only a command can change anything: match checks read files in this process.
  const start = checks.some((check) => 'run' in check) ? await headPosition(where.git) : undefined;
  const files = await PhaseFiles.tracked(where.git, [where.planPath]);
  for (const check of checks) {
    const found = checkKind(check);
    if (!found) continue;
    const outcome = await found.impl.run(check, {
      root: where.root, git: where.git, files, defaultFiles: doc.files, signal: where.signal, env: where.env, progress: () => {},
    });
    where.signal.throwIfAborted();
    if (!outcome.passed) {
      const tail = (outcome.details.outputTail ?? []).slice(-5).map((line) => `\n    | ${line}`).join('');
      const matches = (outcome.details.matches ?? []).slice(0, 5).map((m) => `\n    ${m.file}:${m.line}: ${m.text.trim()}`).join('');
      failures.push(`${checkTitle(check)}: ${outcome.summary}${matches}${tail}`);
    }
  }
  if (start) await refuseChanges(doc.name, where.git, start, where.neverStage);
  return failures;
}

async function refuseChanges(plan: string, git: GitClient, start: HeadPosition, neverStage: readonly string[]): Promise<void> {
  const moved = await headMoved(git, start);
  if (moved) await pointHeadAt(git, start.branch, start.commit);
  const { changes, keptAt } = await discardWorkingTree(git, start.commit, {
    keep: neverStage, ref: discardedRef(plan, new Date()), message: `${plan}: what the preflight commands changed, put back before refusing the run\n`,
  });
  if (!moved && changes.length === 0) return;
  const what = [moved ? `  ${moved}` : '', ...changes.slice(0, 20).map((line) => `  ${line}`), changes.length > 20 ? '  …' : ''].filter(Boolean);
  throw new RefusedError(`preflight commands changed the repository; it was put back as it was${keptAt ? ` (the changes are kept at ${keptAt})` : ''} — ` +
    `make them leave the working tree and HEAD alone, then run again:\n${what.join('\n')}`);
}
