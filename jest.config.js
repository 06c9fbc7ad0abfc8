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
