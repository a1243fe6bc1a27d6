import type { PhaseReport, RunReport } from './model.js';

/**
 * JUnit XML for CI dashboards: a test suite per phase, a test case per check (a transform step
 * that failed is a case with an `<error>`). Dashboards take the `tests`/`failures`/`errors`/`skipped`
 * of each suite and of the root as given, so they are counted from the cases written, never
 * worked out beside them.
 */
type Outcome = { passed: true } | { failure: string; type: string; evidence: string } | { error: string } | { skipped: string };

/** `counts`: a forbid/require/count check's matches before the phase's transform and after it (SPEC). */
interface Case { classname: string; name: string; timeMs?: number; outcome: Outcome; counts?: { before: number; after: number } }
interface Suite { name: string; timeMs: number; cases: Case[] }

export function formatJunit(report: RunReport): string {
  const suites = [
    ...(report.preflight ? [preflightSuite(report.plan, report.preflight)] : []),
    ...report.phases.map((phase) => phaseSuite(report.plan, phase)),
  ];
  const all = suites.flatMap((suite) => suite.cases);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="phasegate ${attr(report.plan)}" ${counts(all)} time="${seconds(report.durationMs)}">\n${suites.map(renderSuite).join('\n')}\n</testsuites>\n`;
}

function phaseSuite(plan: string, phase: PhaseReport): Suite {
  const classname = `${plan}.${phase.id}`;
  const cases: Case[] = phase.checks.map((check) => ({
    classname,
    name: check.name,
    timeMs: check.durationMs,
    ...(check.details.before !== undefined && check.details.after !== undefined ? { counts: { before: check.details.before, after: check.details.after } } : {}),
    outcome: check.passed ? { passed: true } : {
      failure: check.summary,
      type: check.kind,
      evidence: [...(check.details.matches ?? []).map((m) => `${m.file}:${m.line}: ${m.text.trim()}`), ...(check.details.outputTail ?? [])].join('\n'),
    },
  }));
  for (const step of phase.steps) {
    if (step.error) cases.push({ classname, name: `transform: ${step.name}`, timeMs: step.durationMs, outcome: { error: step.error } });
  }
  if (phase.status === 'skipped' || (phase.earlierRun && cases.length === 0)) {
    cases.push({ classname, name: `phase ${phase.id}`, outcome: { skipped: phase.earlierRun ? 'tagged in an earlier run' : 'not run' } });
  }
  return { name: `${plan}/${phase.id}`, timeMs: phase.durations.totalMs, cases };
}

/** The preflight checks as their own suite, first: a refused run's dashboard shows why. */
function preflightSuite(plan: string, preflight: NonNullable<RunReport['preflight']>): Suite {
  const cases: Case[] = preflight.checks.map((check) => ({
    classname: `${plan}.preflight`,
    name: check.name,
    timeMs: check.durationMs,
    outcome: check.passed ? { passed: true } : { failure: check.summary, type: check.kind, evidence: check.outputTail.join('\n') },
  }));
  return { name: 'preflight', timeMs: preflight.durationMs, cases };
}

function counts(cases: readonly Case[]): string {
  const of = (kind: string) => cases.filter((entry) => kind in entry.outcome).length;
  return `tests="${cases.length}" failures="${of('failure')}" errors="${of('error')}" skipped="${of('skipped')}"`;
}

function renderSuite(suite: Suite): string {
  return `  <testsuite name="${attr(suite.name)}" ${counts(suite.cases)} time="${seconds(suite.timeMs)}">\n${suite.cases.map(renderCase).join('\n')}\n  </testsuite>`;
}

function renderCase(entry: Case): string {
  const time = entry.timeMs === undefined ? '' : ` time="${seconds(entry.timeMs)}"`;
  const open = `    <testcase classname="${attr(entry.classname)}" name="${attr(entry.name)}"${time}>`;
  const { outcome } = entry;
  // JUnit's order inside a case: the outcome first, then properties and output.
  const inner = [
    'skipped' in outcome ? `<skipped message="${attr(outcome.skipped)}"/>` : '',
    'error' in outcome ? `<error message="${attr(outcome.error.split('\n')[0])}">${text(outcome.error)}</error>` : '',
    'failure' in outcome ? `<failure message="${attr(outcome.failure)}" type="${attr(outcome.type)}">${text(outcome.evidence)}</failure>` : '',
    ...(entry.counts ? countsOf(entry.counts) : []),
  ].filter(Boolean);
  if (inner.length === 0) return `${open}</testcase>`;
  if (inner.length === 1 && 'skipped' in outcome) return `${open}${inner[0]}</testcase>`;
  return `${open}\n${inner.map((line) => `      ${line}`).join('\n')}\n    </testcase>`;
}

/** As properties for the tools that read them, and as output, which every dashboard shows. */
function countsOf({ before, after }: { before: number; after: number }): string[] {
  return [
    `<properties><property name="matches before" value="${before}"/><property name="matches after" value="${after}"/></properties>`,
    `<system-out>matches before the transform: ${before}, after: ${after}</system-out>`,
  ];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

function text(value: string): string {
  // XML 1.0 cannot carry most control characters, even escaped; command output may contain them.
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');
}
