// The CLI that users run (dist/bin.js) is one bundle: node loads a few files instead of ~110
// modules and ~20 packages, which cost ~80 ms of every command's start. tsc still type-checks and
// emits dist/ module by module (the tests and scripts that import single modules use those).
import { rmSync } from 'node:fs';
import { defineConfig } from 'rolldown';

rmSync('dist/chunks', { recursive: true, force: true });

export default defineConfig({
  input: { bin: 'src/bin.ts', worker: 'src/regex/worker.ts' },
  platform: 'node',
  logLevel: 'warn',
  // ast-grep ships native code and a binary, found through its own package folders at run time.
  external: [/^@ast-grep\//],
  output: {
    dir: 'dist',
    format: 'esm',
    sourcemap: true,
    // The regex worker sits beside the chunk that starts it, as it does in tsc's output (in-worker.ts).
    entryFileNames: (chunk) => (chunk.name === 'bin' ? 'bin.js' : 'chunks/[name].js'),
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
});
