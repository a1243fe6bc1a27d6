/**
 * Plan files for tests, written out as YAML text (the form users write). `top` holds the keys
 * before `phases:` (`files:`, `preflight:`…, each line ending in a newline); `phases` the list's
 * own lines, indented as in a plan file.
 */
export function planYaml(name: string, phases: string, top = ''): string {
  return `version: 1\nname: ${name}\n${top}phases:\n${phases}`;
}

/** A plan with one phase, `one`; `body` is the phase's lines after its id. */
export function onePhasePlan(name: string, body: string, top = ''): string {
  return planYaml(name, `  - id: one\n${body}`, top);
}
