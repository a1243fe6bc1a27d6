import type { RunReport } from './model.js';

/** JUnit XML for CI dashboards: a test suite per phase, a test case per check. */
export function formatJunit(report: RunReport): string {
  const suites = report.phases.map((phase) => {
    const cases = phase.checks.map((check) => {
      const time = (check.durationMs / 1000).toFixed(3);
      const open = `    <testcase classname="${attr(`${report.plan}.${phase.id}`)}" name="${attr(check.name)}" time="${time}">`;
      if (check.passed) return `${open}</testcase>`;
      const evidence = [
        ...(check.details.matches ?? []).map((m) => `${m.file}:${m.line}: ${m.text.trim()}`),
        ...(check.details.outputTail ?? []),
      ].join('\n');
      return `${open}\n      <failure message="${attr(check.summary)}" type="${check.kind}">${text(evidence)}</failure>\n    </testcase>`;
    });
    for (const step of phase.steps.filter((s) => s.error)) {
      cases.push(`    <testcase classname="${attr(`${report.plan}.${phase.id}`)}" name="${attr(`transform: ${step.name}`)}" time="${(step.durationMs / 1000).toFixed(3)}">\n      <error message="${attr(step.error!.split('\n')[0])}">${text(step.error!)}</error>\n    </testcase>`);
    }
    if (phase.status === 'skipped' || (phase.earlierRun && cases.length === 0)) {
      cases.push(`    <testcase classname="${attr(`${report.plan}.${phase.id}`)}" name="phase ${attr(phase.id)}"><skipped message="${phase.earlierRun ? 'tagged in an earlier run' : 'not run'}"/></testcase>`);
    }
    const failures = phase.checks.filter((c) => !c.passed).length;
    const errors = phase.steps.filter((s) => s.error).length;
    const skipped = phase.status === 'skipped' || phase.earlierRun ? 1 : 0;
    return `  <testsuite name="${attr(`${report.plan}/${phase.id}`)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(phase.durations.totalMs / 1000).toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const preflight = report.preflight?.checks ?? [];
  if (report.preflight) suites.unshift(preflightSuite(report.plan, report.preflight));
  const tests = preflight.length + report.phases.reduce((sum, p) => sum + Math.max(p.checks.length, p.status === 'skipped' || p.earlierRun ? 1 : 0), 0);
  const failures = preflight.filter((c) => !c.passed).length + report.phases.reduce((sum, p) => sum + p.checks.filter((c) => !c.passed).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="phasegate ${attr(report.plan)}" tests="${tests}" failures="${failures}" time="${(report.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** The preflight checks as their own suite, first: a refused run's dashboard shows why. */
function preflightSuite(plan: string, preflight: NonNullable<RunReport['preflight']>): string {
  const cases = preflight.checks.map((check) => {
    const open = `    <testcase classname="${attr(`${plan}.preflight`)}" name="${attr(check.name)}" time="${(check.durationMs / 1000).toFixed(3)}">`;
    if (check.passed) return `${open}</testcase>`;
    return `${open}\n      <failure message="${attr(check.summary)}" type="${check.kind}">${text(check.outputTail.join('\n'))}</failure>\n    </testcase>`;
  });
  const failures = preflight.checks.filter((check) => !check.passed).length;
  return `  <testsuite name="preflight" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${(preflight.durationMs / 1000).toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

function text(value: string): string {
  // XML 1.0 cannot carry most control characters, even escaped; command output may contain them.
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');
}
