/**
 * Guided when a person is at a terminal; unattended with --yes, when stdin is not a terminal, or
 * when CI is set. Decided once, before anything could prompt: a prompt without a TTY throws and
 * exits 0, which would look like success.
 */
export type Mode = 'guided' | 'unattended';

export function decideMode(yes: boolean, env: NodeJS.ProcessEnv = process.env): Mode {
  if (yes || isCI(env)) return 'unattended';
  return process.stdin.isTTY && process.stdout.isTTY ? 'guided' : 'unattended';
}

/**
 * Live rendering only where a person is watching a terminal. The same CI rule as the mode, so a
 * guided run (CI=false at a terminal) is never drawn with the plain renderer.
 */
export function isInteractiveOutput(env: NodeJS.ProcessEnv = process.env, stdoutIsTTY = Boolean(process.stdout.isTTY)): boolean {
  return stdoutIsTTY && !isCI(env);
}

export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
