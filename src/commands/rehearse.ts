import type { Command } from '../cli.js';
import { RefusedError } from '../errors.js';

export async function rehearseCommand(_command: Extract<Command, { name: 'rehearse' }>): Promise<number> {
  throw new RefusedError('rehearse is not available in this build yet');
}
