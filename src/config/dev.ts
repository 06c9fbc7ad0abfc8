import path from 'node:path';
import { z } from 'zod';
import { ConfigError, optional, parseEnv } from './env';

/** Where `npm start` keeps its data unless DEV_DATA_DIR or --data-dir says otherwise: the repository's `.temporal/`. */
export const DEFAULT_DEV_DATA_DIR = path.resolve(__dirname, '..', '..', '.temporal');

const port = z.coerce
  .number<string>({ message: 'must be a port number' })
  .int('must be a whole number')
  .min(1, 'must be a port from 1 to 65535')
  .max(65535, 'must be a port from 1 to 65535');

/** Every variable `npm start` (`cancel-orders dev`) reads besides the worker's; each has a flag of the same name. */
export const devEnvSchema = z.object({
  DEV_TEMPORAL_PORT: port.default(7233).describe("npm start: the Temporal dev server's gRPC port (--temporal-port)"),
  DEV_UI_PORT: port.default(8233).describe('npm start: the Temporal Web UI port (--ui-port)'),
  DEV_CODEC_PORT: port
    .default(8888)
    .describe('npm start: the codec server that decrypts payloads for the Web UI (--codec-port)'),
  DEV_SANDBOX_PORT: port
    .default(7301)
    .describe(
      "npm start: the first provider simulator's port; the other simulators and the merchant webhook receiver " +
        'take the next ones (--sandbox-port)',
    ),
  DEV_METRICS_PORT: port
    .default(9464)
    .describe(
      "npm start: the worker's Prometheus /metrics port on 127.0.0.1; METRICS_BIND_ADDRESS wins (--metrics-port)",
    ),
  DEV_DATA_DIR: optional.describe(
    'npm start: the folder of the dev database, the dev payload key, the server log and stack.json (default: the ' +
      "repository's .temporal/); the CLI reads stack.json there to find a running npm start (--data-dir)",
  ),
});

/** The services whose port `npm start` lets the user choose. */
export type DevPortName = 'temporal' | 'ui' | 'codec' | 'sandbox' | 'metrics';

/** Each port's flag, variable and what listens there (for `--help` and the "already in use" errors). */
export const DEV_PORT_OPTIONS: Record<
  DevPortName,
  { flag: string; env: keyof typeof devEnvSchema.shape; what: string }
> = {
  temporal: { flag: '--temporal-port', env: 'DEV_TEMPORAL_PORT', what: 'Temporal gRPC' },
  ui: { flag: '--ui-port', env: 'DEV_UI_PORT', what: 'Temporal Web UI' },
  codec: { flag: '--codec-port', env: 'DEV_CODEC_PORT', what: 'codec server' },
  sandbox: { flag: '--sandbox-port', env: 'DEV_SANDBOX_PORT', what: 'first provider simulator' },
  metrics: { flag: '--metrics-port', env: 'DEV_METRICS_PORT', what: 'metrics' },
};

/** What `npm start` runs with: its ports and its data folder (absolute). */
export interface DevSettings {
  ports: Record<DevPortName, number>;
  dataDir: string;
}

/** The flags of `cancel-orders dev` (already parsed by parsePortOption); each wins over its variable. */
export type DevFlags = Partial<Record<`${DevPortName}Port`, number>> & { dataDir?: string };

/** Read DEV_* (empty counts as unset) under the flags; a bad value is a one-line ConfigError naming the variable. */
export function loadDevSettings(flags: DevFlags = {}, source: NodeJS.ProcessEnv = process.env): DevSettings {
  const set = Object.fromEntries(Object.entries(source).filter(([k, v]) => k.startsWith('DEV_') && v?.trim()));
  const env = parseEnv(devEnvSchema, set);
  const ports = {} as Record<DevPortName, number>;
  for (const [name, o] of Object.entries(DEV_PORT_OPTIONS) as [DevPortName, (typeof DEV_PORT_OPTIONS)['ui']][]) {
    ports[name] = flags[`${name}Port`] ?? (env[o.env] as number);
  }
  const dir = flags.dataDir?.trim() || env.DEV_DATA_DIR;
  return { ports, dataDir: dir ? path.resolve(dir) : DEFAULT_DEV_DATA_DIR };
}

/** The data folder a CLI in another shell looks in: DEV_DATA_DIR, else the repository's `.temporal/`. */
export function devDataDir(source: NodeJS.ProcessEnv = process.env): string {
  const dir = source.DEV_DATA_DIR?.trim();
  return dir ? path.resolve(dir) : DEFAULT_DEV_DATA_DIR;
}

/** A port flag's value (commander's argParser): a whole number from 1 to 65535, or a ConfigError saying what is wrong. */
export function parsePortOption(value: string): number {
  const r = port.safeParse(value);
  if (!r.success) throw new ConfigError(r.error.issues[0].message);
  if (!/^\d+$/.test(value.trim())) throw new ConfigError('must be a whole number');
  return r.data;
}
