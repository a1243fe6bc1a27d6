import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RefusedError } from './errors.js';
import { branchNameProblem } from './plan/branch-name.js';

/**
 * Commands and flags only. `parseCLI` has no side effects so that parsing is tested as a table of
 * cases; `main` decides what to load and run.
 */
export type Command =
  | { name: 'run'; plan: string; yes: boolean; branch?: string; noBranch: boolean; from?: string; to?: string;
      dryRun: boolean; carry: string[]; report?: string; summary?: string; junit?: string; prBody?: string }
  | { name: 'report-merge'; reports: string[]; markdown?: string; json?: string }
  | { name: 'rollback'; target: string; plan?: string; yes: boolean; strategy: 'reset' | 'revert' }
  | { name: 'rehearse'; plan?: string; carry: string[]; report?: string }
  | { name: 'verify'; plan?: string; ref?: string; phases?: string[]; format: 'text' | 'json' | 'github'; carry: string[] }
  | { name: 'sync'; plan?: string; onto?: string; yes: boolean }
  | { name: 'status'; plan?: string; json: boolean }
  | { name: 'check'; plan: string }
  | { name: 'init'; planName: string }
  | { name: 'help'; topic?: string }
  | { name: 'version' };

type Options = NonNullable<ParseArgsConfig['options']>;

const flag = { type: 'boolean' } as const;
const value = { type: 'string' } as const;
const values = { type: 'string', multiple: true } as const;

const commandOptions: Record<string, Options> = {
  run: { yes: { ...flag, short: 'y' }, branch: value, 'no-branch': flag, from: value, to: value,
         'dry-run': flag, carry: values, report: value, summary: value, junit: value, 'pr-body': value },
  report: { markdown: value, json: value },
  rollback: { plan: value, yes: { ...flag, short: 'y' }, strategy: value },
  rehearse: { carry: values, report: value },
  verify: { ref: value, phases: value, format: value, carry: values },
  sync: { onto: value, yes: { ...flag, short: 'y' } },
  status: { json: flag },
  check: {},
  init: {},
};

export const USAGE = `phasegate — run code migrations as phases: transform, validate, checkpoint in git, revert on failure

Usage:
  phasegate run <plan> [--yes] [--branch <name> | --no-branch] [--from <phase>] [--to <phase>]
                       [--dry-run [--carry <path>]…] [--report <file.json>] [--summary <file.md>] [--junit <file.xml>]
                       [--pr-body <file.md>]
  phasegate rollback <target> [--plan <plan>] [--yes] [--strategy reset|revert]
  phasegate rehearse [<plan>] [--carry <path>]…   apply → roll back → apply again in a scratch clone
  phasegate verify [<plan>] [--ref <rev>] [--phases <a,b>] [--format text|json|github] [--carry <path>]…
                                    run the checks of completed phases against a revision; changes nothing
  phasegate sync [<plan>] [--onto <ref>] [--yes] replay the tagged phases on a moved base
  phasegate status [<plan>] [--json]
  phasegate report merge <report.json>… [--markdown <file>] [--json <file>]
                                    one table of many repositories' --report files
  phasegate check <plan>            validate the plan file only; touches nothing
  phasegate init [<name>]           write a commented starter plan to plans/<name>.yaml
  phasegate --help | --version

<plan> is a path to a YAML file, or a bare name resolved as plans/<name>.yaml from the repository root.
Without one, rollback, status, rehearse, sync and verify use the plan recorded with the phase tags.
Runs are unattended with --yes, when stdin is not a terminal, or when CI is set; guided otherwise.

Exit codes: 0 done · 1 a phase failed and was rolled back · 2 refused, nothing changed ·
            3 could not restore automatically (see message) · 130 interrupted, checkpoint restored
            (a run with nothing left to do exits 0 too; its --report says "changed": false)`;

function usageError(message: string, command?: string): RefusedError {
  const hint = command ? `phasegate ${command} --help` : 'phasegate --help';
  return new RefusedError(`${message} (see ${hint})`);
}

export function parseCLI(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    return { name: 'help', topic: first === 'help' ? rest[0] : undefined };
  }
  if (first === '--version' || first === '-v' || first === '-V') return { name: 'version' };
  const options = commandOptions[first];
  if (!options) throw usageError(`unknown command '${first}'`);
  if (rest.includes('--help') || rest.includes('-h')) return { name: 'help', topic: first };

  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
  } catch (error) {
    // node's messages name the flag; drop its advice about '--' which does not apply here.
    const text = (error as Error).message.split('. ')[0].replace(/^Unknown option/, 'unknown option');
    throw usageError(text, first);
  }
  const { values, positionals } = parsed as { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };
  return commandFrom(argsOf(first, values, positionals));
}

/** One command's parsed arguments, read by type; `usage` words a usage error for this command. */
interface Args {
  command: string;
  positionals: string[];
  str(key: string): string | undefined;
  bool(key: string): boolean;
  list(key: string): string[];
  /** The one positional argument; `what` names it when it is missing. */
  positional(what: string, optional?: boolean): string | undefined;
  usage(message: string): RefusedError;
}

function argsOf(command: string, values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Args {
  return {
    command, positionals,
    str: (key) => values[key] as string | undefined,
    bool: (key) => values[key] === true,
    list: (key) => (values[key] as string[] | undefined) ?? [],
    positional: (what, optional = false) => {
      if (positionals.length > 1) throw usageError(`unexpected argument '${positionals[1]}'`, command);
      if (positionals.length === 0 && !optional) throw usageError(`missing ${what}`, command);
      return positionals[0];
    },
    usage: (message) => usageError(message, command),
  };
}

function commandFrom(args: Args): Command {
  const { str, bool, list, positional } = args;
  switch (args.command) {
    case 'run':
      return runCommandOf(args);
    case 'rollback': {
      const target = positional('<target> (a phase id, base, or a tag name)')!;
      const strategy = str('strategy') ?? 'reset';
      if (strategy !== 'reset' && strategy !== 'revert') {
        throw args.usage(`--strategy must be 'reset' or 'revert', not '${strategy}'`);
      }
      return { name: 'rollback', target, plan: str('plan'), yes: bool('yes'), strategy };
    }
    case 'rehearse':
      return { name: 'rehearse', plan: positional('<plan>', true), carry: list('carry'), report: str('report') };
    case 'report': {
      const [sub, ...reports] = args.positionals;
      if (sub !== 'merge') throw args.usage(sub === undefined ? 'missing subcommand (merge)' : `unknown subcommand '${sub}' (merge)`);
      if (reports.length === 0) throw args.usage('missing <report.json> (one or more --report files)');
      return { name: 'report-merge', reports, markdown: str('markdown'), json: str('json') };
    }
    case 'verify':
      return verifyCommandOf(args);
    case 'sync':
      return { name: 'sync', plan: positional('<plan>', true), onto: str('onto'), yes: bool('yes') };
    case 'status':
      return { name: 'status', plan: positional('<plan>', true), json: bool('json') };
    case 'check':
      return { name: 'check', plan: positional('<plan>')! };
    default:
      return { name: 'init', planName: positional('<name>', true) ?? 'migration' };
  }
}

function runCommandOf({ str, bool, list, positional, usage }: Args): Command {
  const plan = positional('<plan>')!;
  if (str('branch') !== undefined && bool('no-branch')) {
    throw usage('--branch and --no-branch cannot be used together');
  }
  const branchProblem = str('branch') === undefined ? undefined : branchNameProblem(str('branch')!);
  if (branchProblem) throw new RefusedError(`--branch ${str('branch')}: not a valid branch name: ${branchProblem}`);
  if (list('carry').length > 0 && !bool('dry-run')) {
    throw usage('--carry only goes with --dry-run (a real run works in your repository, where those paths are)');
  }
  return { name: 'run', plan, yes: bool('yes'), branch: str('branch'), noBranch: bool('no-branch'),
           from: str('from'), to: str('to'), dryRun: bool('dry-run'), carry: list('carry'), report: str('report'),
           summary: str('summary'), junit: str('junit'), prBody: str('pr-body') };
}

function verifyCommandOf({ str, list, positional, usage }: Args): Command {
  const format = str('format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'github') throw usage(`--format must be text, json or github, not '${format}'`);
  const phases = str('phases')?.split(',').map((id) => id.trim()).filter(Boolean);
  if (phases?.length === 0) throw usage('--phases needs at least one phase id (a,b)');
  return { name: 'verify', plan: positional('<plan>', true), ref: str('ref'), phases, format, carry: list('carry') };
}
