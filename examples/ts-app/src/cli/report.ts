import { makeLogger } from '../lib/logger';
import { titleCase, truncate } from '../utils/strings';
import { createUser } from '../api/users';

export function report(names: string[]): string[] {
  const log = makeLogger('cli:report', 'info');
  const lines = names.map((name) => truncate(titleCase(createUser(name, name).name), 30));
  log.log('info', 'report', { lines: lines.length });
  return lines;
}
