/**
 * Test-only crash points. With PHASEGATE_FAILPOINT=<name>, the process kills itself with SIGKILL
 * when it reaches that point, so fault-injection tests hit exact states instead of racing sleeps.
 */
export type Failpoint =
  | 'during-transform'
  | 'before-commit'
  | 'during-check'
  | 'before-tag'
  | 'during-revert'
  | 'during-rollback'
  | 'sync-before-switch'
  | 'sync-after-switch'
  | 'sync-before-put-back'
  | 'sync-after-attach'
  | 'sync-before-publish'
  | 'sync-before-move'
  | 'sync-after-worktree'
  | 'sync-after-refs'
  | 'scratch-ready';

export function failpoint(name: Failpoint): void {
  if (process.env.PHASEGATE_FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
}
