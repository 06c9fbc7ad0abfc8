/** @type {import('jest').Config} */
const tsJest = ['ts-jest', { isolatedModules: true, diagnostics: false }];
module.exports = {
  // Integration tests run real servers; a hung one should still fail in bounded time.
  testTimeout: 90000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/helpers/quiet-runtime.ts'],
      // One Temporal dev server per run (not per file); each file isolates itself by task queue and ids.
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
    {
      // Workflows on Temporal's time-skipping test server with fake adapters and hooks: one server per file.
      displayName: 'workflow',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/workflow/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/helpers/silent-runtime.ts'],
    },
    {
      // The Web UI in Chromium: needs a system browser, so `npm run test:browser`, not `npm test` (see README).
      displayName: 'browser',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/helpers/quiet-runtime.ts'],
    },
    // `npm run test:engine` only: needs the Temporal-on-PostgreSQL server that scripts/postgres-server.sh starts.
    ...(process.env.TEMPORAL_TEST_SERVER_ADDRESS
      ? [
          {
            displayName: 'engine',
            testEnvironment: 'node',
            transform: { '^.+\\.ts$': tsJest },
            testMatch: ['<rootDir>/test/engine/**/*.test.ts'],
            setupFiles: ['<rootDir>/test/helpers/quiet-runtime.ts'],
          },
        ]
      : []),
  ],
};
