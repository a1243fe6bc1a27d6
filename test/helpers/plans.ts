/**
 * A small Python-ish project and a three-phase plan over it, used by the run tests. Phase 2's check
 * can be made to fail by passing `breakPhaseTwo`.
 */
export const projectFiles: Record<string, string> = {
  'app/__init__.py': '',
  'app/orders.py': 'from legacy.notify import Notifier\n\ndef place(order):\n    n = Notifier()\n    n.send("order placed")\n',
  'app/users.py': 'from legacy.notify import Notifier\n\ndef signup(user):\n    Notifier().send("welcome")\n',
  'app/util.py': 'def helper():\n    return 42\n',
  'legacy/notify.py': 'class Notifier:\n    def send(self, text):\n        print(text)\n',
  'README.md': '# Shop\n',
};

export function threePhasePlan({ breakPhaseTwo = false, rollbackLog = 'rollback.log' } = {}): string {
  return `version: 1
name: shop
title: Shop notifier migration
files: ["**/*.py"]
phases:
  - id: imports
    title: Canonical imports
    transform:
      - replace: 'from legacy\\.notify import (\\w+)'
        with: 'from core.notify import $1'
      - rename: legacy/notify.py
        to: core/notify.py
    validate:
      - forbid: 'from legacy\\.notify'
      - require: 'from core\\.notify import Notifier'
    rollback:
      - run: echo imports >> "${rollbackLog}"
  - id: sender
    title: Rename send to deliver
    transform:
      - replace: '\\.send\\('
        with: '.deliver('
      - replace: 'def send\\('
        with: 'def deliver('
    validate:
      - forbid: '\\.send\\('
      - count: 'def deliver\\('
        max: ${breakPhaseTwo ? 0 : 1}
    rollback:
      - run: echo sender-1 >> "${rollbackLog}"
      - run: echo sender-2 >> "${rollbackLog}"
  - id: docs
    title: Document the change
    transform:
      - run: printf '\\nNotifications go through core.notify.\\n' >> README.md
    validate:
      - require: 'core\\.notify'
        files: README.md
    rollback:
      - run: echo docs >> "${rollbackLog}"
`;
}
