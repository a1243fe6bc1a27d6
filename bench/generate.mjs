// Deterministic synthetic Python repositories for `npm run bench`.
//
// The shape follows the seed remediation (../shared/seed): a backend where about a quarter of the
// modules import WebSocketNotifier through one of the three deprecated paths and instantiate it
// directly, three deprecated modules that define their own WebSocketNotifier, and one canonical
// class in services/agent_websocket_bridge.py. Same size and seed → byte-identical files.
//
// The generated code is chosen so that a line-oriented `perl -pi` rewrite and ast-grep's
// structural rewrite produce the same result (no `WebSocketNotifier(` inside strings or comments),
// which lets the benchmark check that phasegate and the raw script committed identical trees.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DEPRECATED_IMPORTS = [
  'from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier',
  'from netra_backend.app.websocket_core.websocket_notifier import WebSocketNotifier',
  'from netra_backend.app.services.websocket_notifier import WebSocketNotifier',
];
export const CANONICAL_IMPORT = 'from netra_backend.app.services.agent_websocket_bridge import WebSocketNotifier';
export const DEPRECATED_MODULES = [
  'netra_backend/app/agents/supervisor/websocket_notifier.py',
  'netra_backend/app/websocket_core/websocket_notifier.py',
  'netra_backend/app/services/websocket_notifier.py',
];
export const CANONICAL_MODULE = 'netra_backend/app/services/agent_websocket_bridge.py';

/** mulberry32: small, fast, and the same on every machine. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AREAS = ['agents', 'services', 'routes', 'models', 'db', 'core', 'utils', 'schemas', 'tasks', 'websocket_core'];
const NOUNS = ['thread', 'message', 'run', 'agent', 'user', 'session', 'event', 'tool', 'result', 'context', 'state', 'budget', 'trace', 'metric'];
const VERBS = ['load', 'save', 'build', 'validate', 'emit', 'resolve', 'merge', 'render', 'collect', 'dispatch', 'update', 'refresh'];
const STDLIB = ['import asyncio', 'import json', 'import logging', 'import os', 'import time', 'from dataclasses import dataclass, field',
  'from typing import Any, Dict, List, Optional', 'from datetime import datetime, timezone', 'import uuid', 'from enum import Enum'];

/**
 * The files of a repository of `count` Python modules, in a stable order. About 25 % of modules
 * use the notifier (import through a deprecated path + direct instantiation), ~3 % already use the
 * canonical import and the factory, the rest never mention it.
 */
export function* generateFiles(count, seed = 216) {
  const random = prng(seed * 7919 + count);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const perDir = 80;
  yield { path: CANONICAL_MODULE, content: canonicalModule() };
  for (const [index, file] of DEPRECATED_MODULES.entries()) yield { path: file, content: deprecatedModule(index) };
  for (const dir of new Set([...DEPRECATED_MODULES, CANONICAL_MODULE].map((file) => path.posix.dirname(file)))) {
    // Packages in the deprecated modules' folders, so a glob over them has neighbours to skip.
    yield { path: `${dir}/__init__.py`, content: '' };
  }
  const modules = Math.max(0, count - DEPRECATED_MODULES.length - 1 - 3);
  for (let index = 0; index < modules; index++) {
    const area = AREAS[index % AREAS.length];
    const dir = `${index % 9 === 8 ? 'tests/unit' : 'netra_backend/app'}/${area}/pkg_${String(Math.floor(index / (perDir * AREAS.length))).padStart(3, '0')}`;
    const name = `${pick(NOUNS)}_${pick(VERBS)}_${String(index).padStart(5, '0')}.py`;
    const roll = random();
    const kind = roll < 0.25 ? 'deprecated' : roll < 0.28 ? 'canonical' : 'plain';
    yield { path: `${dir}/${name}`, content: moduleSource(random, pick, kind, index) };
  }
}

function moduleSource(random, pick, kind, index) {
  const lines = [`"""${pick(NOUNS)} ${pick(VERBS)} helpers (module ${index})."""`, ''];
  const imports = new Set();
  while (imports.size < 2 + Math.floor(random() * 4)) imports.add(pick(STDLIB));
  lines.push(...[...imports].sort());
  if (kind === 'deprecated') lines.push(DEPRECATED_IMPORTS[Math.floor(random() * DEPRECATED_IMPORTS.length)]);
  if (kind === 'canonical') lines.push(CANONICAL_IMPORT);
  lines.push('', 'logger = logging.getLogger(__name__)', '');
  const functions = 2 + Math.floor(random() * 4);
  const notifierAt = Math.floor(random() * functions);
  for (let f = 0; f < functions; f++) {
    const noun = pick(NOUNS);
    const verb = pick(VERBS);
    lines.push('', '', `def ${verb}_${noun}_${f}(${noun}_id: str, payload: Dict[str, Any], emitter=None, ctx=None) -> Optional[dict]:`);
    lines.push(`    """${verb[0].toUpperCase()}${verb.slice(1)} the ${noun} and report progress."""`);
    lines.push(`    started = time.monotonic()`, `    result = {"id": ${noun}_id, "kind": "${noun}", "items": []}`);
    for (let s = 0; s < 1 + Math.floor(random() * 4); s++) {
      const other = pick(NOUNS);
      lines.push(`    for ${other} in payload.get("${other}s", []):`, `        result["items"].append({"${other}": ${other}, "at": ${s}})`);
    }
    if (f === notifierAt && kind !== 'plain') {
      const call = kind === 'canonical' ? 'WebSocketNotifier.create_for_user' : 'WebSocketNotifier';
      const style = Math.floor(random() * 4);
      if (style === 0) lines.push(`    notifier = ${call}(emitter, ctx)`);
      else if (style === 1) lines.push(`    notifier = ${call}(emitter=emitter, exec_context=ctx)`);
      else if (style === 2) lines.push(`    notifier = ${call}(`, '        emitter,', '        ctx,', '    )');
      else lines.push(`    notifier = ${call}(emitter or make_emitter(${noun}_id), ctx)`);
      lines.push(`    await_event = notifier.send_agent_started(${noun}_id)`);
      // Mentions that a structural rewrite must leave alone (and a perl -pi rewrite does too).
      if (random() < 0.5) lines.push('    # the WebSocketNotifier instance is per user: never share it');
    }
    lines.push(`    logger.debug("${verb} ${noun} took %.3fs", time.monotonic() - started)`, '    return result');
  }
  if (random() < 0.3) {
    const noun = pick(NOUNS);
    const cls = noun[0].toUpperCase() + noun.slice(1);
    lines.push('', '', `class ${cls}Record:`, `    """A ${noun} as stored."""`, '', '    def __init__(self, key: str):', '        self.key = key',
      `        self.created = datetime.now(timezone.utc)`, '', '    def as_dict(self) -> dict:', '        return {"key": self.key, "created": self.created.isoformat()}');
  }
  return `${lines.join('\n')}\n`;
}

function canonicalModule() {
  return `"""The one WebSocketNotifier (SSOT)."""

from typing import Any


class BaseNotifier:
    def send_agent_started(self, run_id: str) -> None:
        raise NotImplementedError


class WebSocketNotifier(BaseNotifier):
    """Per-user notifier; build it with create_for_user."""

    def __init__(self, emitter: Any, exec_context: Any):
        self.emitter = emitter
        self.exec_context = exec_context

    @classmethod
    def create_for_user(cls, emitter: Any, exec_context: Any) -> "WebSocketNotifier":
        return cls(emitter, exec_context)

    def send_agent_started(self, run_id: str) -> None:
        self.emitter.emit("agent_started", {"run_id": run_id})
`;
}

function deprecatedModule(index) {
  return `"""Deprecated WebSocketNotifier copy #${index + 1}; superseded by services.agent_websocket_bridge."""


class WebSocketNotifier:
    def __init__(self, emitter, exec_context):
        self.emitter = emitter
        self.exec_context = exec_context

    def send_agent_started(self, run_id):
        self.emitter.emit("agent_started", {"run_id": run_id})
`;
}

/** A stable fingerprint of what `generateFiles` yields (for the determinism test). */
export function fingerprint(count, seed) {
  const hash = createHash('sha256');
  let files = 0;
  for (const file of generateFiles(count, seed)) {
    hash.update(file.path).update('\0').update(file.content).update('\0');
    files++;
  }
  return { files, sha256: hash.digest('hex') };
}

/**
 * Write a repository of `count` Python files into `dir` (which must not exist or be empty), plus
 * `extra` files (plans), and commit it all on `main`. Returns what was generated.
 */
export function generateRepo(dir, count, { seed = 216, extra = {} } = {}) {
  mkdirSync(dir, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  for (const [key, value] of [['user.name', 'Bench'], ['user.email', 'bench@example.com'], ['gc.auto', '0'],
    ['commit.gpgsign', 'false'], ['tag.gpgsign', 'false'], ['core.autocrlf', 'false']]) git('config', key, value);
  const stats = { files: 0, deprecatedImports: 0, bytes: 0 };
  const write = (file, content) => {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  };
  for (const file of generateFiles(count, seed)) {
    write(file.path, file.content);
    stats.files++;
    stats.bytes += Buffer.byteLength(file.content);
    if (DEPRECATED_IMPORTS.some((line) => file.content.includes(line))) stats.deprecatedImports++;
  }
  for (const [file, content] of Object.entries(extra)) write(file, content);
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', `synthetic backend: ${count} Python files`);
  return stats;
}
