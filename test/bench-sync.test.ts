import { describe, expect, it } from 'vitest';
import { IMPORT_RE, movedBaseFiles } from '../bench/scenarios.mjs';

/** The sync scenario of `npm run bench` (issue 14) only measures a replay if main's new commit gives it work. */
describe('benchmark sync scenario inputs', () => {
  it("main's new files use a deprecated import and a direct instantiation, so phases 1 and 2 have new work", () => {
    const files = Object.entries(movedBaseFiles());
    expect(files.length).toBeGreaterThan(0);
    for (const [file, text] of files) {
      expect(file).toMatch(/\.py$/);
      expect(text).toMatch(new RegExp(IMPORT_RE));
      expect(text).toMatch(/= WebSocketNotifier\(/);
    }
  });
});
