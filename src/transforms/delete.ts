import { rmSync } from 'node:fs';
import path from 'node:path';
import { StepError } from '../errors.js';
import type { DeleteStep } from '../plan/schema.js';
import { selectSources } from './select-sources.js';
import { shorten, type TransformKind } from './types.js';

/** `delete: <path or glob>`: removes tracked files (a directory: everything under it). */
export const remove: TransformKind<DeleteStep> = {
  describe: (step) => `delete ${shorten(step.delete, 50)}`,

  async apply(step, context) {
    const sources = selectSources(step.delete, context, step.files);
    if (sources.length === 0) {
      if (step.missing === 'ignore') return { changed: [], notes: [`nothing matches '${step.delete}' (missing: ignore)`] };
      throw new StepError(`nothing to delete: no tracked file matches '${step.delete}' (add "missing: ignore" if that is expected)`);
    }
    const changed: string[] = [];
    for (const source of sources) {
      const files = source.kind === 'file' ? [source.path] : source.files;
      for (const file of files) {
        rmSync(path.join(context.root, file), { force: true });
        context.files.deleted(file);
        changed.push(file);
      }
    }
    return { changed, notes: [] };
  },
};
