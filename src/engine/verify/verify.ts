import { checkKind, checkTitle } from '../../checks/index.js';
import { MatchBatch } from '../../checks/matches.js';
import type { CheckContext, CheckOutcome } from '../../checks/types.js';
import { errorMessage, RefusedError } from '../../errors.js';
import { GitClient } from '../../git/client.js';
import { headCommit, resolveCommit, uncommittedChanges } from '../../git/state.js';
import type { Globs, Phase, ScoreEntry } from '../../plan/schema.js';
import type { CheckReport } from '../../report/model.js';
import { PhaseFiles } from '../../scope/files.js';
import { baselineKey, type Baselines } from '../baselines/baselines.js';
import { runJudged } from '../baselines/judge.js';
import { readPlanState } from '../plan-state.js';
import { recordedBaselines } from '../../git/tag-record.js';
import { carryInto, carryRequest } from '../scratch/carry.js';
import { withScratchClone } from '../scratch/clone.js';
import { describeGate, evaluateGate, type Gate } from '../run/gate.js';
import { openRepository } from '../session.js';
import { interruptedWarning } from './interrupted.js';
import { planForVerify } from './plan-for-verify.js';

/**
 * `phasegate verify`: the checks of completed phases, run against a revision without applying any
 * transform and without changing the repository, its refs or its working tree — the guard a CI job
 * on `main` keeps against the old pattern coming back.
 *
 * Where the checks run: HEAD with only forbid/require/count checks is read in place (those checks
 * only read files, so the working tree is judged as it is). Any other revision, and any `run`
 * check — a command may write anywhere in the tree — runs in a scratch clone of the commit, with
 * the plan's `carry:` paths, which is thrown away afterwards.
 */
export interface VerifyOptions {
  /** Left out: the plan recorded with the tags (SPEC "Which plan"). */
  plan?: string;
  ref?: string;
  phases?: string[];
  carry: readonly string[];
  signal: AbortSignal;
  notice: (text: string) => void;
}

export interface VerifiedPhase {
  id: string;
  title: string;
  /** The phase's tag, when it has one (a phase named by --phases may not). */
  tag?: string;
  passed: boolean;
  gate: string;
  score: number;
  threshold: number | null;
  checks: CheckReport[];
}

export interface VerifyResult {
  plan: string;
  ref: string;
  commit: string;
  where: 'working tree' | 'scratch clone';
  passed: boolean;
  phases: VerifiedPhase[];
  durationMs: number;
}

export async function verifyPlan(cwd: string, options: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const repository = await openRepository(cwd, { readOnly: true });
  const planInfo = await planForVerify(repository, options.plan, cwd);
  const { doc } = planInfo;
  const state = await readPlanState(repository.git, doc);
  // A phase's own record first; a phase without a tag (named by --phases) still has the base's JUnit baselines.
  const atBase = recordedBaselines(state.base)?.junit;
  const chosen = choosePhases(state.phases.map((entry) => ({
    phase: entry.phase, tag: entry.tag?.name, baselines: { junit: { ...atBase, ...entry.record?.baselines?.junit }, counts: entry.record?.baselines?.counts },
  })), options.phases, doc.name);
  const ref = options.ref ?? 'HEAD';
  if (ref.startsWith('-')) throw new RefusedError(`--ref ${ref}: not a revision`);
  const commit = await resolveCommit(repository.git, ref);
  if (!commit) throw new RefusedError(`--ref ${ref}: no such commit in ${repository.root} (fetch it, or name a branch, tag or commit that exists)`);
  const hasCommands = chosen.some(({ phase }) => (phase.validate ?? []).some((check) => 'run' in check));
  const inPlace = options.ref === undefined && !hasCommands;
  const carry = inPlace ? [] : await carryRequest(repository.git, repository.root, doc, options.carry, cwd);
  const exclude = [planInfo.planPath, ...planInfo.neverStage];
  const env = { PHASEGATE_PLAN: doc.name };

  let phases: VerifiedPhase[];
  if (inPlace) {
    const warning = interruptedWarning(repository.stateDir);
    if (warning) options.notice(warning);
    const files = await PhaseFiles.tracked(repository.git, exclude);
    // The working tree as it is: new files not yet added count, deleted ones do not.
    await files.refresh();
    phases = await verifyPhases(chosen, { root: repository.root, git: repository.git, files, defaultFiles: doc.files, env, signal: options.signal });
  } else {
    if (options.ref === undefined && (await headCommit(repository.git)) === commit && (await uncommittedChanges(repository.git, planInfo.neverStage)).length > 0) {
      options.notice('verify: run checks are judged on the commit HEAD points at, in a scratch clone; your uncommitted changes are not part of it');
    }
    phases = await withScratchClone(repository.root, commit, 'phasegate-verify', async (cloneRoot) => {
      const clone = new GitClient(cloneRoot);
      await carryInto(repository.root, cloneRoot, clone, carry, options.notice);
      const files = await PhaseFiles.tracked(clone, exclude);
      return verifyPhases(chosen, { root: cloneRoot, git: clone, files, defaultFiles: doc.files, env, signal: options.signal });
    }, 'verify');
  }
  return {
    plan: doc.name, ref, commit, where: inPlace ? 'working tree' : 'scratch clone',
    passed: phases.every((phase) => phase.passed), phases, durationMs: Math.round(performance.now() - started),
  };
}

interface Candidate { phase: Phase; tag?: string; baselines?: Baselines }

/** --phases as given (in plan order), else every phase with a tag; refusals are exit 2. */
function choosePhases(all: Candidate[], named: string[] | undefined, plan: string): Candidate[] {
  if (named && named.length > 0) {
    const unknown = named.filter((id) => !all.some((entry) => entry.phase.id === id));
    if (unknown.length > 0) {
      throw new RefusedError(`--phases: plan '${plan}' has no phase ${unknown.map((id) => `'${id}'`).join(', ')} (its phases: ${all.map((entry) => entry.phase.id).join(', ')})`);
    }
    return all.filter((entry) => named.includes(entry.phase.id));
  }
  const tagged = all.filter((entry) => entry.tag);
  if (tagged.length === 0) {
    throw new RefusedError(`plan '${plan}' has no completed phases here (no phasegate/${plan}/<phase> tags; fetch them with 'git fetch --tags'), so there is nothing to verify: name the phases with --phases <a,b>`);
  }
  return tagged;
}

interface Where { root: string; git: GitClient; files: PhaseFiles; defaultFiles: Globs | undefined; env: Record<string, string>; signal: AbortSignal }

async function verifyPhases(chosen: Candidate[], where: Where): Promise<VerifiedPhase[]> {
  const results: VerifiedPhase[] = [];
  for (const { phase, tag, baselines } of chosen) {
    const validate = phase.validate ?? [];
    const context: CheckContext = {
      root: where.root, git: where.git, files: where.files, defaultFiles: where.defaultFiles, signal: where.signal,
      env: { ...where.env, PHASEGATE_PHASE: phase.id }, progress: () => {}, batch: new MatchBatch(validate),
    };
    const checks: CheckReport[] = [];
    for (const [index, check] of validate.entries()) {
      const found = checkKind(check);
      if (!found) continue;
      const started = performance.now();
      const key = baselineKey(phase.id, index);
      let outcome: CheckOutcome;
      try {
        outcome = await runJudged(check, () => found.impl.run(check, context), { root: where.root, junit: baselines?.junit?.[key], ratchetReference: baselines?.counts?.[key] });
      } catch (error) {
        where.signal.throwIfAborted();
        outcome = { passed: false, summary: `could not run: ${errorMessage(error)}`, details: {} };
      }
      checks.push({
        index, name: checkTitle(check), kind: found.kind, passed: outcome.passed,
        required: (check as { required?: boolean }).required ?? false, weight: (check as { weight?: number }).weight ?? 1,
        durationMs: Math.round(performance.now() - started), summary: outcome.summary, details: { ...outcome.details, output: undefined },
      });
    }
    const threshold = validate.find((check): check is ScoreEntry => 'score' in check)?.score ?? null;
    const gate: Gate = evaluateGate(checks, threshold);
    results.push({ id: phase.id, title: phase.title ?? phase.id, tag, passed: gate.passed, gate: describeGate(gate), score: gate.score, threshold: gate.threshold, checks });
  }
  return results;
}
