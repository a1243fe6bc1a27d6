import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * `<plan>` is a path to a YAML file, or a bare name resolved as `plans/<name>.yaml` from the
 * repository root. A file that exists wins, so `phasegate run migration` still works when a file
 * called `migration` sits in the working directory.
 */
export function resolvePlanPath(argument: string, repoRoot: string | undefined, cwd = process.cwd()): string {
  const direct = path.resolve(cwd, argument);
  const bare = !argument.includes('/') && !argument.includes('\\') && !/\.ya?ml$/i.test(argument);
  if (!bare || isFile(direct)) return direct;
  const base = repoRoot ?? cwd;
  const yaml = path.join(base, 'plans', `${argument}.yaml`);
  const yml = path.join(base, 'plans', `${argument}.yml`);
  return !existsSync(yaml) && existsSync(yml) ? yml : yaml;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
