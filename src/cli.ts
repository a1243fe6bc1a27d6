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
  | { name: 'verify'; plan: string; ref?: string; phases?: string[]; format: 'text' | 'json' | 'github'; carry: string[] }
  | { name: 'sync'; plan: string; onto?: string; yes: boolean }
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
  phasegate verify <plan> [--ref <rev>] [--phases <a,b>] [--format text|json|github] [--carry <path>]…
                                    run the checks of completed phases against a revision; changes nothing
  phasegate sync <plan> [--onto <ref>] [--yes]   replay the tagged phases on a moved base
  phasegate status [<plan>] [--json]
  phasegate report merge <report.json>… [--markdown <file>] [--json <file>]
                                    one table of many repositories' --report files
  phasegate check <plan>            validate the plan file only; touches nothing
  phasegate init [<name>]           write a commented starter plan to plans/<name>.yaml
  phasegate --help | --version

<plan> is a path to a YAML file, or a bare name resolved as plans/<name>.yaml from the repository root.
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
  const str = (key: string) => values[key] as string | undefined;
  const bool = (key: string) => values[key] === true;
  const list = (key: string) => (values[key] as string[] | undefined) ?? [];
  const positional = (what: string, optional = false): string | undefined => {
    if (positionals.length > 1) throw usageError(`unexpected argument '${positionals[1]}'`, first);
    if (positionals.length === 0 && !optional) throw usageError(`missing ${what}`, first);
    return positionals[0];
  };

  switch (first) {
    case 'run': {
      const plan = positional('<plan>')!;
      if (str('branch') !== undefined && bool('no-branch')) {
        throw usageError('--branch and --no-branch cannot be used together', first);
      }
      const branchProblem = str('branch') === undefined ? undefined : branchNameProblem(str('branch')!);
      if (branchProblem) throw new RefusedError(`--branch ${str('branch')}: not a valid branch name: ${branchProblem}`);
      if (list('carry').length > 0 && !bool('dry-run')) {
        throw usageError('--carry only goes with --dry-run (a real run works in your repository, where those paths are)', first);
      }
      return { name: 'run', plan, yes: bool('yes'), branch: str('branch'), noBranch: bool('no-branch'),
               from: str('from'), to: str('to'), dryRun: bool('dry-run'), carry: list('carry'), report: str('report'),
               summary: str('summary'), junit: str('junit'), prBody: str('pr-body') };
    }
    case 'rollback': {
      const target = positional('<target> (a phase id, base, or a tag name)')!;
      const strategy = str('strategy') ?? 'reset';
      if (strategy !== 'reset' && strategy !== 'revert') {
        throw usageError(`--strategy must be 'reset' or 'revert', not '${strategy}'`, first);
      }
      return { name: 'rollback', target, plan: str('plan'), yes: bool('yes'), strategy };
    }
    case 'rehearse':
      return { name: 'rehearse', plan: positional('<plan>', true), carry: list('carry'), report: str('report') };
    case 'report': {
      const [sub, ...reports] = positionals;
      if (sub !== 'merge') throw usageError(sub === undefined ? 'missing subcommand (merge)' : `unknown subcommand '${sub}' (merge)`, first);
      if (reports.length === 0) throw usageError('missing <report.json> (one or more --report files)', first);
      return { name: 'report-merge', reports, markdown: str('markdown'), json: str('json') };
    }
    case 'verify': {
      const format = str('format') ?? 'text';
      if (format !== 'text' && format !== 'json' && format !== 'github') throw usageError(`--format must be text, json or github, not '${format}'`, first);
      const phases = str('phases')?.split(',').map((id) => id.trim()).filter(Boolean);
      if (phases?.length === 0) throw usageError('--phases needs at least one phase id (a,b)', first);
      return { name: 'verify', plan: positional('<plan>')!, ref: str('ref'), phases, format, carry: list('carry') };
    }
    case 'sync':
      return { name: 'sync', plan: positional('<plan>')!, onto: str('onto'), yes: bool('yes') };
    case 'status':
      return { name: 'status', plan: positional('<plan>', true), json: bool('json') };
    case 'check':
      return { name: 'check', plan: positional('<plan>')! };
    default:
      return { name: 'init', planName: positional('<name>', true) ?? 'migration' };
  }
}
