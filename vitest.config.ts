import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      // Pure modules: no local stack, seconds to run (`npm run test:unit`).
      './vitest.unit.config.ts',
      // Everything that talks to the local stack, which the global setup starts once per run.
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**'],
          globalSetup: ['test/stack/global-setup.ts'],
        },
      },
    ],
  },
});
