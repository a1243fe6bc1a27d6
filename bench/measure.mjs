// Wall time and peak memory of one command, with nothing installed by hand.
//
// Peak RSS is what wait4(2) reports for the finished child: the largest resident set of the
// process or of any descendant it waited for (for a shell script, its biggest single command,
// typically git; for phasegate, usually node itself). Probes, best first:
//   1. GNU time (`/usr/bin/time -f %M`), timed from here: it adds about a millisecond;
//   2. a python3 wrapper that times the child itself (so its own start-up is not counted) and
//      reads ru_maxrss from os.wait4;
//   3. neither: wall time only, RSS reported as unknown.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PY_WRAPPER = `
import os, sys, time, json
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = (time.perf_counter() - start) * 1000
with open(sys.argv[1], 'w') as out:
    json.dump({"ms": elapsed, "rssKB": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}, out)
`;

let probe;

function probeMeter() {
  if (probe) return probe;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'phasegate-bench-probe-'));
  const out = path.join(scratch, 'rss');
  try {
    if (existsSync('/usr/bin/time')) {
      const result = spawnSync('/usr/bin/time', ['-f', '%M', '-o', out, '--', 'true']);
      if (result.status === 0 && /^\d+\s*$/.test(readFileSync(out, 'utf8').trim().split('\n').at(-1))) return (probe = { kind: 'gnu-time' });
    }
    for (const python of ['/usr/bin/python3', 'python3']) {
      const result = spawnSync(python, ['-c', PY_WRAPPER, out, 'true']);
      if (result.status === 0 && JSON.parse(readFileSync(out, 'utf8')).rssKB > 0) return (probe = { kind: 'python-wait4', python });
    }
  } catch {
    // fall through: wall time only
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return (probe = { kind: 'none' });
}

export function meterName() {
  const { kind } = probeMeter();
  return kind === 'gnu-time' ? 'GNU time -f %M (wait4 ru_maxrss)' : kind === 'python-wait4' ? 'python3 os.wait4 ru_maxrss' : 'unavailable';
}

/**
 * Run `command args` in `cwd` and return { ms, rssKB, code, stdout, stderr }. Throws when the exit
 * code is not in `okCodes`, with the output, so a broken benchmark never reports a fast failure.
 */
export function measure(command, args, { cwd, env = {}, okCodes = [0] } = {}) {
  const meter = probeMeter();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'phasegate-bench-m-'));
  const out = path.join(scratch, 'm');
  const options = { cwd, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' };
  try {
    let result;
    let ms;
    let rssKB = null;
    let code;
    if (meter.kind === 'python-wait4') {
      result = spawnSync(meter.python, ['-c', PY_WRAPPER, out, command, ...args], options);
      const measured = JSON.parse(readFileSync(out, 'utf8'));
      ({ ms, rssKB, code } = measured);
    } else {
      const [file, argv] = meter.kind === 'gnu-time' ? ['/usr/bin/time', ['-f', '%M', '-o', out, '--', command, ...args]] : [command, args];
      const started = performance.now();
      result = spawnSync(file, argv, options);
      ms = performance.now() - started;
      code = result.status;
      if (meter.kind === 'gnu-time') {
        const last = readFileSync(out, 'utf8').trim().split('\n').at(-1);
        rssKB = /^\d+$/.test(last) ? Number(last) : null;
      }
    }
    if (result.error) throw result.error;
    if (!okCodes.includes(code)) {
      throw new Error(`\`${[command, ...args].join(' ')}\` in ${cwd} exited with ${code}\n${(result.stdout ?? '').slice(-2000)}\n${(result.stderr ?? '').slice(-4000)}`);
    }
    return { ms, rssKB, code, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function median(values) {
  const sorted = values.filter((value) => typeof value === 'number' && Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
