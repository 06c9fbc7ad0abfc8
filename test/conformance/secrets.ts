import { Runtime } from '@temporalio/worker';
import type { ProviderPlugin } from '../../src/providers/plugin';

/**
 * The provider's secrets as the sandbox sets them: each `secret: true` variable of its manifest, and for a whole
 * header line ("Name: Bearer token") also each long part of its value, since a leak would rarely quote the line.
 */
export function providerSecrets(plugin: ProviderPlugin): string[] {
  return plugin.manifest.config.flatMap((field) => {
    const value = field.secret ? plugin.simulator.credentials[field.env] : undefined;
    if (value === undefined) return [];
    const parts = field.kind === 'header' ? value.slice(value.indexOf(':') + 1).split(/\s+/) : [];
    return [value, ...parts.filter((p) => p.length >= 8)];
  });
}

/** Change a credential's last four characters within their class (digit, lower, upper), so its format still holds. */
export function alter(value: string): string {
  const shift = (c: string, base: string, n: number) =>
    String.fromCharCode(base.charCodeAt(0) + ((c.charCodeAt(0) - base.charCodeAt(0) + Math.ceil(n / 2)) % n));
  const tail = [...value.slice(-4)].map((c) => {
    if (/[0-9]/.test(c)) return shift(c, '0', 10);
    if (/[a-z]/.test(c)) return shift(c, 'a', 26);
    if (/[A-Z]/.test(c)) return shift(c, 'A', 26);
    return c;
  });
  return value.slice(0, -4) + tail.join('');
}

/** Every secret variable of the provider with a wrong value (the kit's default bad credentials). */
export function badCredentials(plugin: ProviderPlugin): Record<string, string> {
  return Object.fromEntries(
    plugin.manifest.config
      .filter((f) => f.secret && plugin.simulator.credentials[f.env] !== undefined)
      .map((f) => [f.env, alter(plugin.simulator.credentials[f.env])]),
  );
}

/** JSON of log metadata with errors spelled out (message, stack, cause, details), as a log sink would print them. */
function logText(level: string, message: string, meta: unknown): string {
  const seen = new WeakSet<object>();
  const json = JSON.stringify(meta ?? {}, (_key, value: unknown) => {
    if (typeof value === 'bigint') return String(value);
    if (value instanceof Error) {
      return { ...value, name: value.name, message: value.message, stack: value.stack, cause: value.cause };
    }
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    return value;
  });
  return `${level} ${message} ${json}`;
}

/** The worker's log lines of this test file (one capture per file, whatever number of providers it runs). */
export interface WorkerLog {
  lines: string[];
}

let captured: WorkerLog | undefined;

/**
 * Everything the worker logs in this test file, at every level (the runtime's logger prints only WARN and up in
 * tests, but a production worker may run at DEBUG). Only errors go on to the installed logger: the kit's scenarios
 * fail provider calls on purpose, and their warnings would bury the test output. Call it at the top level of a test
 * file (its hook must run whichever tests `-t` selects).
 */
export function captureWorkerLog(): WorkerLog {
  if (captured) return captured;
  const log: WorkerLog = { lines: [] };
  captured = log;
  beforeAll(() => {
    const logger = Runtime.instance().logger as { log: (level: string, message: string, meta?: unknown) => void };
    const original = logger.log.bind(logger);
    logger.log = (level, message, meta) => {
      log.lines.push(logText(level, message, meta));
      if (level === 'ERROR') original(level, message, meta);
    };
  });
  return log;
}
