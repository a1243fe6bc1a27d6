import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJUnit } from '../../checks/junit-xml.js';
import { errorMessage, RefusedError } from '../../errors.js';
import type { GitClient } from '../../git/client.js';
import { discardedRef } from '../../git/names.js';
import { discardWorkingTree } from '../../git/restore.js';
import { headCommit } from '../../git/state.js';
import type { Phase } from '../../plan/schema.js';
import { runCommandStep } from '../../process/command-step.js';
import { baselineKey, junitChecks, type Baselines, type JUnitBaseline } from './baselines.js';

export interface CaptureContext {
  root: string;
  git: GitClient;
  plan: string;
  env: Record<string, string>;
  signal: AbortSignal;
  neverStage: string[];
  notice: (text: string) => void;
}

/**
 * Run every `junit:` check of `phases` once on the tree as it is (the starting tree, at base) and
 * record which tests fail there. Undefined when no check asks for it, so plans without baselines
 * keep their records as they were. What the commands leave in the working tree is discarded (kept
 * on a ref), as after any check: the first phase must start from the tree it was given.
 */
export async function captureJUnitBaselines(context: CaptureContext, phases: readonly Phase[], known: Baselines['junit'] = {}): Promise<Baselines['junit'] | undefined> {
  const wanted = phases.flatMap((phase) => junitChecks(phase).map((entry) => ({ key: baselineKey(phase.id, entry.index), ...entry })))
    .filter((entry) => !known[entry.key]);
  if (wanted.length === 0) return undefined;
  const captured: Record<string, JUnitBaseline> = {};
  const start = await headCommit(context.git);
  try {
    for (const { key, check } of wanted) {
      context.signal.throwIfAborted();
      // Phases often share one test command: on the same tree it would say the same, so run it once.
      const same = Object.values(captured).find((entry) => entry.command === check.run && entry.file === check.junit);
      if (same) {
        captured[key] = same;
        continue;
      }
      context.notice(`baseline: running \`${check.run}\` on the starting tree to record which tests fail already`);
      const result = await runCommandStep(check, { cwd: context.root, env: context.env, signal: context.signal });
      context.signal.throwIfAborted();
      let text: string;
      try {
        text = await readFile(path.join(context.root, check.junit), 'utf8');
      } catch (error) {
        throw new RefusedError(`baseline: \`${check.run}\` (${result.verdict}) did not write its JUnit report ${check.junit} (${errorMessage(error)}); ` +
          'fix the command or the junit: path, then run again');
      }
      captured[key] = { file: check.junit, command: check.run, ...parseJUnit(text) };
    }
  } finally {
    await discardWorkingTree(context.git, start, {
      keep: context.neverStage, ref: discardedRef(context.plan, new Date()),
      message: `${context.plan}: what the baseline commands left in the working tree\n`,
    });
  }
  return captured;
}
