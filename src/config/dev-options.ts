import path from 'node:path';
import { ConfigError } from '../contract/errors';

// npm start's flags and defaults without zod: the CLI's start-up (--help) loads this, not the schema in ./dev.ts.

/** Where `npm start` keeps its data unless DEV_DATA_DIR or --data-dir says otherwise: the repository's `.temporal/`. */
export const DEFAULT_DEV_DATA_DIR = path.resolve(__dirname, '..', '..', '.temporal');

/** The services whose port `npm start` lets the user choose. */
export type DevPortName = 'temporal' | 'ui' | 'codec' | 'sandbox' | 'metrics';

/** The variable of each port. */
export type DevPortVariable =
  'DEV_TEMPORAL_PORT' | 'DEV_UI_PORT' | 'DEV_CODEC_PORT' | 'DEV_SANDBOX_PORT' | 'DEV_METRICS_PORT';

/** Each port's flag, variable and what listens there (for `--help` and the "already in use" errors). */
export const DEV_PORT_OPTIONS: Record<
  DevPortName,
  { flag: string; env: DevPortVariable; what: string; fallback: number }
> = {
  temporal: { flag: '--temporal-port', env: 'DEV_TEMPORAL_PORT', what: 'Temporal gRPC', fallback: 7233 },
  ui: { flag: '--ui-port', env: 'DEV_UI_PORT', what: 'Temporal Web UI', fallback: 8233 },
  codec: { flag: '--codec-port', env: 'DEV_CODEC_PORT', what: 'codec server', fallback: 8888 },
  sandbox: { flag: '--sandbox-port', env: 'DEV_SANDBOX_PORT', what: 'first provider simulator', fallback: 7301 },
  metrics: { flag: '--metrics-port', env: 'DEV_METRICS_PORT', what: 'metrics', fallback: 9464 },
};

/** The option that moves a port, as the "already in use" line names it, e.g. `--codec-port or DEV_CODEC_PORT`. */
export function devPortMoveWith(name: DevPortName): string {
  return `${DEV_PORT_OPTIONS[name].flag} or ${DEV_PORT_OPTIONS[name].env}`;
}

/** The claim of one of npm start's own services on loopback (devserver/ports.ts's PortClaim). */
export function devPortClaim(
  name: DevPortName,
  port: number,
): { port: number; host: string; what: string; moveWith: string } {
  return { port, host: '127.0.0.1', what: DEV_PORT_OPTIONS[name].what, moveWith: devPortMoveWith(name) };
}

/** The data folder a CLI in another shell looks in: DEV_DATA_DIR, else the repository's `.temporal/`. */
export function devDataDir(source: NodeJS.ProcessEnv = process.env): string {
  const dir = source.DEV_DATA_DIR?.trim();
  return dir ? path.resolve(dir) : DEFAULT_DEV_DATA_DIR;
}

/** A port flag's value (commander's argParser): a whole number from 1 to 65535, or a ConfigError saying what is wrong. */
export function parsePortOption(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || Number.isNaN(n)) throw new ConfigError('must be a port number');
  if (!Number.isInteger(n) || !/^\d+$/.test(value.trim())) throw new ConfigError('must be a whole number');
  if (n < 1 || n > 65535) throw new ConfigError('must be a port from 1 to 65535');
  return n;
}
