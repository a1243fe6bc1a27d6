import { checkKind, checkTitle } from '../checks/index.js';
import type { Check, PlanDocument } from '../plan/schema.js';
import { PhaseFiles } from '../scope/files.js';
import type { GitClient } from '../git/client.js';

/** `preflight:` checks run on the starting tree before anything changes; any failure refuses the run. */
export async function runPreflight(
  doc: PlanDocument,
  where: { root: string; git: GitClient; planPath: string | undefined; signal: AbortSignal; env: Record<string, string> },
): Promise<string[]> {
  const failures: string[] = [];
  const checks: Check[] = doc.preflight ?? [];
  if (checks.length === 0) return failures;
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
  return failures;
}
