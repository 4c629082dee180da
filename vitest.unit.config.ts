import { defineProject } from 'vitest/config';

// Pure modules only, no local stack: the `unit` project of vitest.config.ts, and alone the suite Stryker mutates against.
export default defineProject({
  test: {
    name: 'unit',
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
