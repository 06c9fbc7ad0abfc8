import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DEFAULT_DEV_DATA_DIR } from '../config/dev';
import { devPortClaim } from '../config/dev-options';
import { SEARCH_ATTRIBUTES } from '../contract';
import { dynamicConfigArgs } from './dynamic-config';
import { findTemporalCli, INSTALL_HINT } from './find-cli';
import { checkPortsFree } from './ports';

/** Where `npm start` keeps the dev server's data and log by default (gitignored): the repository's `.temporal/`. */
export const DEV_DIR = DEFAULT_DEV_DATA_DIR;

export interface LocalTemporalOptions {
  port?: number;
  uiPort?: number;
  namespace?: string;
  /** SQLite file; workflows survive restarts (default <dataDir>/dev.db). */
  dbFile?: string;
  /** Where the database (by default) and the server log go (default the repository's `.temporal/`). */
  dataDir?: string;
  /** Aborting stops waiting for start-up (Ctrl-C during start). */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** The codec server the Web UI calls to show decrypted payloads. */
  uiCodecEndpoint?: string;
}

export interface LocalTemporal {
  address: string;
  uiUrl: string;
  dbFile: string;
  /** Where the server's own log goes (empty when the SDK runs the server). */
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Start `temporal server start-dev` on fixed ports with the search attributes registered and priority/fairness on
 * (./dynamic-config.ts); refuse a busy port.
 */
export async function startLocalTemporal(opts: LocalTemporalOptions = {}): Promise<LocalTemporal> {
  const port = opts.port ?? 7233;
  const uiPort = opts.uiPort ?? 8233;
  const namespace = opts.namespace ?? 'default';
  const dataDir = path.resolve(opts.dataDir ?? DEV_DIR);
  const dbFile = path.resolve(opts.dbFile ?? path.join(dataDir, 'dev.db'));
  // `npm start` checked every port already; this catches one taken since (and callers that did not check).
  await checkPortsFree([devPortClaim('temporal', port), devPortClaim('ui', uiPort)]);
  // The log goes to the data folder when one is given, else beside the database (tests' own servers).
  const logDir = opts.dataDir ? dataDir : path.dirname(dbFile);
  for (const dir of new Set([path.dirname(dbFile), logDir])) mkdirSync(dir, { recursive: true });
  const address = `localhost:${port}`;
  const uiUrl = `http://localhost:${uiPort}`;
  const cli = findTemporalCli(opts.env ?? process.env);
  if (!cli) return startViaSdk({ port, uiPort, namespace, dbFile, address, uiUrl, codec: opts.uiCodecEndpoint });

  const logFile = path.join(logDir, 'dev-server.log');
  const child = spawnServer(cli, logFile, [
    ...['server', 'start-dev', '--port', String(port), '--ui-port', String(uiPort)],
    ...['--namespace', namespace, '--db-filename', dbFile, '--log-level', 'warn'],
    ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a.name}=Keyword`]),
    ...dynamicConfigArgs(),
    ...(opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : []),
  ]);
  const stop = () => stopChild(child);
  try {
    await waitUntilServing(address, namespace, child, logFile, opts.signal);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, uiUrl, dbFile, logFile, stop };
}

function spawnServer(cli: string, logFile: string, args: string[]): ChildProcess {
  const fd = openSync(logFile, 'w');
  // Own process group: the terminal's Ctrl-C reaches us only, so the worker drains before the server stops.
  const child = spawn(cli, args, { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const killOnExit = () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(-child.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Poll until the frontend answers and our search attributes are registered; fail with the log's last line. */
async function waitUntilServing(
  address: string,
  namespace: string,
  child: ChildProcess,
  logFile: string,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (signal?.aborted) throw new Error('interrupted while the Temporal dev server was starting');
    if (child.exitCode !== null) {
      throw new Error(
        `the Temporal dev server exited (code ${child.exitCode}): ${lastLine(logFile)} (log: ${logFile})`,
      );
    }
    const ready = await Connection.connect({ address, connectTimeout: 1000 })
      .then(async (c) => {
        try {
          return (await missingSearchAttributes(c, namespace)).length === 0;
        } finally {
          await c.close();
        }
      })
      .catch(() => false);
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`the Temporal dev server did not start within 60 s (log: ${logFile})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Names of the contract's search attributes the namespace does not have yet. */
export async function missingSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const res = await connection.operatorService.listSearchAttributes({ namespace });
  const have = new Set(Object.keys(res.customAttributes ?? {}));
  return SEARCH_ATTRIBUTES.map((a) => a.name).filter((n) => !have.has(n));
}

/** Register the missing ones as Keyword (a server given by TEMPORAL_ADDRESS may not have them). */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const missing = await missingSearchAttributes(connection, namespace);
  if (missing.length === 0) return [];
  const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((n) => [n, KEYWORD])),
  });
  return missing;
}

/** No CLI anywhere: let the SDK download and run one (needs @temporalio/testing and network access). */
async function startViaSdk(o: {
  port: number;
  uiPort: number;
  namespace: string;
  dbFile: string;
  address: string;
  uiUrl: string;
  codec?: string;
}): Promise<LocalTemporal> {
  let testing: typeof import('@temporalio/testing');
  try {
    testing = await import('@temporalio/testing');
  } catch {
    throw new Error(
      `Temporal CLI not found (and @temporalio/testing, which can download it, is not installed). ${INSTALL_HINT}`,
    );
  }
  const env = await testing.TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      port: o.port,
      ui: true,
      uiPort: o.uiPort,
      namespace: o.namespace,
      dbFilename: o.dbFile,
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: [...dynamicConfigArgs(), ...(o.codec ? ['--ui-codec-endpoint', o.codec] : [])],
    },
  }).catch((err: unknown) => {
    // The SDK's message is a long chain of causes; the user needs to know what to install instead.
    const why = String(err instanceof Error ? err.message : err).split(/: error sending request|\n/)[0];
    throw new Error(`Temporal CLI not found and the SDK could not download it (${why}). ${INSTALL_HINT}`);
  });
  return { address: o.address, uiUrl: o.uiUrl, dbFile: o.dbFile, logFile: '', stop: () => env.teardown() };
}

function lastLine(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    return lines.filter((l) => /error/i.test(l)).pop() ?? lines.pop() ?? '';
  } catch {
    return '';
  }
}
