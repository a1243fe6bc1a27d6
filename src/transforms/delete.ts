import { rmSync } from 'node:fs';
import path from 'node:path';
import type { DeleteStep } from '../plan/schema.js';
import { loopDeadline } from '../process/deadline.js';
import { Confinement } from '../scope/confine.js';
import { requireSources } from './select-sources.js';
import { shorten, type TransformKind } from './types.js';

/** `delete: <path or glob>`: removes tracked files (a directory: everything under it). */
export const remove: TransformKind<DeleteStep> = {
  describe: (step) => `delete ${shorten(step.delete, 50)}`,

  async apply(step, context) {
    const sources = requireSources('delete', step.delete, step.missing, context, step.files);
    if (!Array.isArray(sources)) return sources;
    const changed: string[] = [];
    const confinement = new Confinement(context.root);
    const deadline = loopDeadline(context.signal, step.timeout);
    for (const source of sources) {
      const files = source.kind === 'file' ? [source.path] : source.files;
      for (const file of files) {
        deadline.check();
        confinement.assertWritable(file, `delete '${file}'`);
        rmSync(path.join(context.root, file), { force: true });
        context.files.deleted(file);
        changed.push(file);
      }
    }
    return { changed, notes: [] };
  },
};
