import { appendFileSync } from 'node:fs';
import type { Command } from '../cli.js';
import { interruptOnSignals } from '../engine/interrupt.js';
import { githubAnnotations, markdownSummary, verifyJson, verifyText } from '../engine/verify/format.js';
import { verifyPlan } from '../engine/verify/verify.js';
import { ExitCode } from '../errors.js';

/** `phasegate verify <plan>`: exit 0 when every check of the completed phases holds, 1 when one fails. */
export async function verifyCommand(command: Extract<Command, { name: 'verify' }>, cwd = process.cwd()): Promise<number> {
  const notice = (text: string) => process.stderr.write(`${text}\n`);
  const interrupt = interruptOnSignals(notice);
  try {
    const result = await verifyPlan(cwd, { plan: command.plan, ref: command.ref, phases: command.phases, carry: command.carry, signal: interrupt.signal, notice });
    if (interrupt.signal.aborted) return ExitCode.interrupted;
    if (command.format === 'json') process.stdout.write(verifyJson(result));
    else if (command.format === 'github') {
      // The text too: the job log is read by people; annotations are what GitHub picks out of it.
      process.stdout.write(verifyText(result));
      process.stdout.write(githubAnnotations(result));
      const summaryFile = process.env.GITHUB_STEP_SUMMARY;
      if (summaryFile) appendFileSync(summaryFile, markdownSummary(result));
    } else process.stdout.write(verifyText(result));
    return result.passed ? ExitCode.ok : ExitCode.phaseFailed;
  } finally {
    interrupt.dispose();
  }
}
