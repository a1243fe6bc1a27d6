import type { HookEvent, PlanDocument } from '../plan/schema.js';
import { runShell, describeFailure } from '../process/shell.js';

/**
 * Lifecycle hooks: shell commands from the plan's `hooks:`, run in the repository root with
 * PHASEGATE_* variables describing the event. Only a failing `before-phase` hook stops the run.
 */
export interface HookEnvironment {
  plan: string;
  phase?: string;
  tag?: string;
  status: string;
}

export interface HookOutcome { command: string; ok: boolean; detail: string }

const HOOK_TIMEOUT_MS = 10 * 60_000;

export async function runHooks(
  plan: PlanDocument,
  event: HookEvent,
  where: { root: string; signal?: AbortSignal; env: Record<string, string> },
  details: HookEnvironment,
): Promise<HookOutcome[]> {
  const configured = plan.hooks?.[event];
  const commands = configured === undefined ? [] : typeof configured === 'string' ? [configured] : configured;
  const outcomes: HookOutcome[] = [];
  for (const command of commands) {
    const result = await runShell(command, {
      cwd: where.root,
      timeoutMs: HOOK_TIMEOUT_MS,
      signal: where.signal,
      env: {
        ...where.env,
        PHASEGATE_EVENT: event,
        PHASEGATE_PLAN: details.plan,
        PHASEGATE_PHASE: details.phase ?? '',
        PHASEGATE_TAG: details.tag ?? '',
        PHASEGATE_STATUS: details.status,
      },
    });
    const detail = result.ok ? 'ok' : `${describeFailure(result)}${result.tail.length ? `: ${result.tail.slice(-3).join(' | ')}` : ''}`;
    outcomes.push({ command, ok: result.ok, detail });
    if (!result.ok && event === 'before-phase') break;
  }
  return outcomes;
}
