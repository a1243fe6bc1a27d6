import type { Command } from '../cli.js';
import { RefusedError } from '../errors.js';

export async function rollbackCommand(_command: Extract<Command, { name: 'rollback' }>): Promise<number> {
  throw new RefusedError('rollback is not available in this build yet');
}
