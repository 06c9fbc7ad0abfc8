/** Set by test/helpers/global-setup.ts for the test files: `host:port` of the run's one Temporal dev server. */
export const SHARED_SERVER_ENV = 'OCC_TEST_TEMPORAL_ADDRESS';
