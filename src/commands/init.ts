import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli.js';
import { repositoryRoot } from '../engine/session.js';
import { RefusedError } from '../errors.js';
import { schemaReference, starterPlan } from '../plan/starter.js';
import { Confinement } from '../scope/confine.js';

/** `phasegate init [<name>]`: write a commented starter plan to plans/<name>.yaml. */
export async function initCommand(command: Extract<Command, { name: 'init' }>, cwd = process.cwd()): Promise<number> {
  const name = command.planName;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new RefusedError(`plan name '${name}' must be lowercase letters, digits and dashes (it is used in tag and branch names)`);
  }
  const root = (await repositoryRoot(cwd)) ?? cwd;
  const file = path.join(root, 'plans', `${name}.yaml`);
  const shown = path.relative(cwd, file) || file;
  const exists = () => new RefusedError(`${shown} already exists; choose another name or edit it`);
  if (existsSync(file)) throw exists();
  const escape = new Confinement(root).escape(`plans/${name}.yaml`);
  if (escape) throw new RefusedError(`cannot write ${shown}: ${escape}`);
  mkdirSync(path.dirname(file), { recursive: true });
  // 'wx': never through a symlink left at that name (even a dangling one), never over a file.
  try {
    writeFileSync(file, starterPlan(name, schemaReference(root, path.dirname(file))), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw exists();
    throw error;
  }
  process.stdout.write(`wrote ${shown}\nnext: edit it, then 'phasegate check ${name}' and 'phasegate run ${name} --dry-run'\n`);
  return 0;
}
