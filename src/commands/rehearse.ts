import type { Command } from '../cli.js';
import { interruptOnSignals } from '../engine/interrupt.js';
import { rehearse } from '../engine/scratch/rehearse.js';
import { isInteractiveOutput } from '../engine/tasklist/mode.js';
import { ExitCode } from '../errors.js';
import { formatDuration } from '../plan/duration.js';
import { refuseUnsafeOutputs } from '../report/output-paths.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** `phasegate rehearse <plan>`: apply → roll back → apply again in a scratch clone. */
export async function rehearseCommand(command: Extract<Command, { name: 'rehearse' }>, cwd = process.cwd()): Promise<number> {
  const notice = (text: string) => process.stderr.write(`${text}\n`);
  await refuseUnsafeOutputs({ report: command.report }, command.plan, cwd);
  const interrupt = interruptOnSignals(notice);
  try {
    const result = await rehearse(cwd, command.plan, { interactive: isInteractiveOutput(), signal: interrupt.signal, notice, carry: command.carry });
    if (interrupt.signal.aborted) return ExitCode.interrupted;
    const lines = [`\nrehearsal ${result.passed ? 'passed' : 'FAILED'} in ${formatDuration(result.durationMs)}: apply → roll back to base → apply again`];
    // Per phase only once the first application got through: before that, the problem line says where it stopped.
    for (const phase of result.phases.some((entry) => entry.firstTree) ? result.phases : []) {
      const same = phase.firstTree && phase.firstTree === phase.secondTree;
      const steps = phase.rollbackSteps.length ? `, rollback steps ${phase.rollbackSteps.filter((s) => s.ok).length}/${phase.rollbackSteps.length} ok` : '';
      // A phase the rehearsal never got to compare (it stopped at an earlier one) did not fail.
      const compared = phase.firstTree !== undefined && phase.secondTree !== undefined;
      const mark = same ? '✔' : compared ? '✖' : '·';
      const note = same ? ': same result twice' : compared ? ': a different result the second time' : ': applied once, not compared';
      lines.push(`  ${mark} ${phase.id}${note}${steps}`);
    }
    for (const problem of result.problems) lines.push(`  ✖ ${problem}`);
    for (const warning of result.warnings) lines.push(`  ! ${warning}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    if (result.hint) notice(result.hint);
    if (command.report) writeFileSync(path.resolve(cwd, command.report), `${JSON.stringify(result, null, 2)}\n`);
    return result.passed ? ExitCode.ok : ExitCode.phaseFailed;
  } finally {
    interrupt.dispose();
  }
}
