import { parseCLI, USAGE, type Command } from './cli.js';
import { ExitCode, PhasegateError, PlanError } from './errors.js';

/**
 * Parse, lazily load the command, run it, and turn errors into exit codes. The only place that
 * prints an error: typed errors show their message; anything else is a bug and shows its stack.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const command = parseCLI(argv);
    return await dispatch(command);
  } catch (error) {
    if (error instanceof PlanError) {
      // Each problem starts its line with `file:line:col:` (SPEC), which editors and CI problem
      // matchers read as a location: a `phasegate: ` before the first would hide it.
      process.stderr.write(`${error.problems.join('\n')}\n`);
      return error.exitCode;
    }
    if (error instanceof PhasegateError) {
      process.stderr.write(`phasegate: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`phasegate: unexpected error (a bug — please report it):\n${(error as Error)?.stack ?? String(error)}\n`);
    return ExitCode.unrecoverable;
  }
}

async function dispatch(command: Command): Promise<number> {
  switch (command.name) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return ExitCode.ok;
    case 'version': {
      const { VERSION } = await import('./version.js');
      process.stdout.write(`${VERSION}\n`);
      return ExitCode.ok;
    }
    case 'run': {
      const status = command.dryRun ? undefined : (await startStatusRead()).read;
      return (await import('./commands/run.js')).runCommand(command, process.cwd(), status);
    }
    case 'check':
      return (await import('./commands/check.js')).checkCommand(command);
    case 'status':
      // The repository's facts are asked while the command's modules load.
      (await import('./git/early-status.js')).startRepositoryProbe(process.cwd());
      return (await import('./commands/status.js')).statusCommand(command);
    case 'init':
      return (await import('./commands/init.js')).initCommand(command);
    case 'rollback': {
      const { read } = await startStatusRead();
      return (await import('./commands/rollback.js')).rollbackCommand(command, process.cwd(), read);
    }
    case 'report-merge':
      return (await import('./commands/report-merge.js')).reportMergeCommand(command);
    case 'verify':
      return (await import('./commands/verify.js')).verifyCommand(command);
    case 'rehearse':
      return (await import('./commands/rehearse.js')).rehearseCommand(command);
    case 'sync':
      // As for status: the repository's facts are asked while sync's many modules load.
      (await import('./git/early-status.js')).startRepositoryProbe(process.cwd());
      return (await import('./commands/sync.js')).syncCommand(command);
  }
}

/** `git status` of the working tree and the repository's facts, asked while the command's modules load (git/early-status.ts). */
async function startStatusRead() {
  const early = await import('./git/early-status.js');
  // The status first: it takes git longest.
  const read = early.startWorkingTreeRead(process.cwd());
  early.startRepositoryProbe(process.cwd());
  // Wrapped: awaiting the promise itself here would wait for git instead of loading meanwhile.
  return { read };
}
