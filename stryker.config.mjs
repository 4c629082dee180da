// Mutation testing of the authorizer core and the session modules against the unit suite (`npm run test:mutation`).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // The unit project alone: a mutation run must never start the local stack.
  vitest: { configFile: 'vitest.unit.config.ts', related: true },
  mutate: [
    'shared/rules/*.ts',
    'shared/policy/*.ts',
    'shared/authorizer/*.ts',
    // Config loaders, run once at cold start and tested in authorizer-config.test.ts: not the per-request core.
    '!shared/authorizer/{authorizer-config,token-sources-env}.ts',
    'shared/tokens/token-source.ts',
    // Reading cookies, and the one rule of proof of origin that the authorizer and the token service share.
    'shared/http/{cookies,request-origin}.ts',
    'shared/session/{seal,return-path,cookie-codec,pkce,csrf,login-flow,session-cookies,tossed-cookies}.ts',
  ],
  // Two cores, shared with other work: a generous timeout, so that a slow machine does not pass for a killed mutant.
  concurrency: 2,
  timeoutMS: 15_000,
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'test-artifacts/mutation/index.html' },
  jsonReporter: { fileName: 'test-artifacts/mutation/mutation.json' },
  tempDirName: 'test-artifacts/stryker-tmp',
  cleanTempDir: 'always',
  // The sandbox needs the sources and tests only, not local-stack state or earlier reports.
  ignorePatterns: ['test-artifacts', '.local-stack', '.cognito', '.serverless', '.esbuild', '.build', 'bench/results'],
  // Scores are checked per file by scripts/mutation-report.ts; Stryker's own threshold is for the whole run.
  thresholds: { high: 95, low: 90, break: null },
};
