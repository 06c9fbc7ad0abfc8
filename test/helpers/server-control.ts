import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../src/contract';
import { dynamicConfigArgs } from '../../src/devserver/dynamic-config';
import { requireTemporalCli } from '../../src/devserver/find-cli';
import { missingSearchAttributes } from '../../src/devserver/start';
import { freePort } from './ports';
import { waitFor } from './wait';

/** A Temporal server a test may SIGKILL and start again on the same data and ports. */
export interface ServerControl {
  address: string;
  namespace: string;
  /** Pid of the server process itself (not a wrapper). */
  pid(): number;
  /** SIGKILL the server and wait until the process is gone. */
  kill9(): Promise<void>;
  /** Start it again on the same data and ports; resolves once it serves with the search attributes. */
  restart(): Promise<void>;
  /** Whether the process is running (a zombie counts as gone). */
  alive(): boolean;
  /** Stop it for good (test end). */
  stop(): Promise<void>;
}

/** True while `pid` runs; a zombie (killed, not reaped yet) is not running. */
export function pidAlive(pid: number): boolean {
  if (!(pid > 0)) return false; // kill(0) would probe our own process group
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

async function killAndWait(pid: number): Promise<void> {
  if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  await waitFor(() => !pidAlive(pid), `server pid ${pid} to die after SIGKILL`, 15_000);
}

/** Wait until the frontend answers and the contract's search attributes are there. */
export async function waitServing(address: string, namespace: string, timeoutMs = 90_000): Promise<void> {
  await waitFor(
    () =>
      Connection.connect({ address, connectTimeout: 1000 })
        .then(async (c) => {
          try {
            return (await missingSearchAttributes(c, namespace)).length === 0;
          } finally {
            await c.close();
          }
        })
        .catch(() => false),
    `Temporal at ${address} to serve`,
    timeoutMs,
  );
}

/**
 * `temporal server start-dev` on its own SQLite file and fixed free ports, spawned directly (the CLI binary is the
 * server: no wrapper process), so a SIGKILL hits the server and a restart finds the same data on the same port.
 */
export async function startRestartableDevServer(dir: string): Promise<ServerControl> {
  const cli = requireTemporalCli();
  const [port, httpPort] = [await freePort(), await freePort()];
  const namespace = 'default';
  const address = `127.0.0.1:${port}`;
  const args = [
    ...['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port)],
    ...['--http-port', String(httpPort), '--namespace', namespace, '--log-level', 'warn'],
    ...['--db-filename', path.join(dir, 'temporal.db')],
    ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a.name}=Keyword`]),
    ...dynamicConfigArgs(),
  ];
  let child: ChildProcess | undefined;
  const launch = async () => {
    const fd = openSync(path.join(dir, 'server.log'), 'a');
    child = spawn(cli, args, { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const exited = new Promise<never>((_, reject) =>
      child?.once('exit', (code, sig) => reject(new Error(`dev server exited while starting (${code ?? sig})`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitServing(address, namespace), exited]);
  };
  const pid = () => child?.pid ?? -1;
  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  await launch();
  return {
    address,
    namespace,
    pid,
    alive,
    async kill9() {
      await killAndWait(pid());
    },
    async restart() {
      if (alive()) throw new Error(`the dev server (pid ${pid()}) is still running`);
      await launch();
    },
    async stop() {
      if (alive()) await killAndWait(pid());
    },
  };
}

/**
 * The engine lane's server (scripts/postgres-server.sh): its pid file and restart script come in
 * ENGINE_SERVER_PID_FILE and ENGINE_SERVER_RESTART; PostgreSQL and the data stay up while the server is down.
 */
export function engineServerControl(): ServerControl {
  const address = process.env.TEMPORAL_TEST_SERVER_ADDRESS;
  const pidFile = process.env.ENGINE_SERVER_PID_FILE;
  const restartScript = process.env.ENGINE_SERVER_RESTART;
  if (!address || !pidFile || !restartScript) {
    throw new Error(
      'ENGINE_SERVER_PID_FILE / ENGINE_SERVER_RESTART not set: run this file through scripts/postgres-server.sh (npm run test:engine)',
    );
  }
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const pid = () => {
    try {
      return Number(readFileSync(pidFile, 'utf8').trim()) || -1;
    } catch {
      return -1; // no pid file: the restart script is between removing and writing it
    }
  };
  return {
    address,
    namespace,
    pid,
    alive: () => pidAlive(pid()),
    async kill9() {
      await killAndWait(pid());
    },
    async restart() {
      // The script starts the server in the background and returns once it is SERVING.
      await promisify(execFile)(restartScript, [], { timeout: 120_000 });
      await waitServing(address, namespace);
    },
    async stop() {
      // The lane's script owns the server; a test leaves it running for the next file.
    },
  };
}
