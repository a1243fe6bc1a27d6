import { StepError } from '../errors.js';
import type { CodemodStep } from '../plan/schema.js';
import { shorten, type TransformKind } from './types.js';

/** `codemod: <ast-grep pattern>` + `fix:` + `language:` — structural rewrite (see issue 4). */
export const codemod: TransformKind<CodemodStep> = {
  describe: (step) => `codemod ${typeof step.codemod === 'string' ? shorten(step.codemod, 40) : 'rule'} → ${shorten(step.fix, 30)}`,
  async apply() {
    throw new StepError('codemod steps are not available in this build');
  },
};
