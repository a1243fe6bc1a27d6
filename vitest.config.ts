import { defineConfig } from 'vitest/config';

// Behaviour tests start real git repositories and the built CLI; they are I/O bound, so two
// workers on two cores keep the suite well under five minutes.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    reporters: ['default'],
  },
});
