/**
 * What runs the phases, and only that: the phase itself with every step and check kind, the
 * task for the list, preflight, JUnit baselines, hooks. run-plan.ts loads this (about seventy
 * modules) while git answers the start-up questions, instead of before asking the first one.
 */
export { checkTitle } from '../../checks/index.js';
export { stepTitle } from '../../transforms/index.js';
export { PhaseRun } from './phase-run.js';
export { phaseTask } from './phase-task.js';
export { runPreflight } from './preflight.js';
export { captureJUnitBaselines } from '../baselines/capture.js';
export { runHooks } from '../hooks.js';
export { createTaskList } from '../tasklist/task-list.js';
