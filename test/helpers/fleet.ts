import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SSOT_PLAN, commitAll, copyExample, initRepository } from '../../examples/lib/example-repo.mjs';

/**
 * Repositories of a generated fleet: each a copy of the example backend with the bundled SSOT plan,
 * named so that the merged table can be read by name. A `breaks` option adds a test that passes at
 * the start and fails once the named phase has run, the way a real repository can diverge from
 * the others.
 */
export type Breaks = 'factory-pattern' | 'interface';

const BREAKERS: Record<Breaks, [string, string]> = {
  // Phase 2 rewrites the manager's direct WebSocketNotifier(...) call; this repository pins it.
  'factory-pattern': ['tests/test_pinned_manager.py', `import pathlib, unittest


class PinnedManager(unittest.TestCase):
    def test_manager_constructs_the_notifier_directly(self):
        source = pathlib.Path("netra_backend/app/websocket_core/manager.py").read_text()
        self.assertNotIn("create_for_user", source)
`],
  // Phase 3 removes the deprecated aliases; this repository still relies on one.
  interface: ['tests/test_legacy_alias.py', `import unittest

from netra_backend.app.services.agent_websocket_bridge import WebSocketNotifier


class LegacyAlias(unittest.TestCase):
    def test_the_old_method_name_still_exists(self):
        self.assertTrue(hasattr(WebSocketNotifier, "send_tool_" + "started"))
`],
};

export function fleetRepository(parent: string, name: string, breaks?: Breaks): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  initRepository(dir);
  copyExample('websocket-backend', dir, { plans: [SSOT_PLAN], hooks: true });
  if (breaks) {
    const [file, content] = BREAKERS[breaks];
    writeFileSync(path.join(dir, file), content);
  }
  commitAll(dir, 'example backend');
  return dir;
}
