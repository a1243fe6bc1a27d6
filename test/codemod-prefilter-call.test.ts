import { describe, expect, it } from 'vitest';
import { callPrefilter } from '../src/structural/prefilter-call.js';

/** The sharper prefilter for Python call patterns (issue 15): never a file with a real call left out. */
describe('call prefilter', () => {
  const shape = callPrefilter({ language: 'python', pattern: 'WebSocketNotifier($$$ARGS)' })!;

  it('keeps every way Python lets a call be written: spaces, line breaks, continuations, comments', () => {
    for (const text of ['x = WebSocketNotifier(a)', 'x = WebSocketNotifier (a)', 'f(WebSocketNotifier  # why\n  (a))', 'x = WebSocketNotifier \\\n(a)', '@WebSocketNotifier(emitter=None)']) {
      expect(shape.test(text), text).toBe(true);
    }
  });

  it('leaves out files that only import or name it', () => {
    expect(shape.test('from app import WebSocketNotifier\n\nclass X(Base):\n    kind = WebSocketNotifier\n')).toBe(false);
  });

  it('is used only where it is certain', () => {
    expect(callPrefilter({ language: 'python', pattern: 'WebSocketNotifier($$$ARGS)', strictness: 'relaxed' })).toBeUndefined();
    expect(callPrefilter({ language: 'typescript', pattern: 'Notifier($$$ARGS)' })).toBeUndefined();
    expect(callPrefilter({ language: 'python', pattern: 'assert $A == $B' })).toBeUndefined();
    expect(callPrefilter({ language: 'python', rule: { pattern: 'f($A)' } })).toBeUndefined();
    expect(String(callPrefilter({ language: 'python', pattern: '$OBJ.send_event($E)' }))).toContain('send_event');
  });
});
