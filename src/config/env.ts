import { z } from 'zod';
import { ConfigError } from '../contract';

export { ConfigError };

/** An optional string: trimmed, and empty counts as unset. */
export const optional = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === '' ? undefined : s));
export const url = z.url({ message: 'must be an http(s) URL' }).optional();
export const positiveInt = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .positive('must be > 0');
/** A whole number >= 0 (e.g. a grace period where 0 means none). */
export const nonNegativeInt = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be >= 0');
/** An optional rate (calls per second, decimals allowed, > 0); unset or empty is undefined. */
export const optionalRate = optional.pipe(
  z.coerce
    .number<string>({ message: 'must be a number' })
    .positive('must be > 0 (pause a provider with `cancel-orders providers pause`)')
    .optional(),
);
/** `host:port` to listen on (IPv6 hosts in brackets); unset or empty is undefined (= off). */
export const bindAddress = optional.refine(
  (s) =>
    s === undefined ||
    (/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.test(s) && Number(s.split(':').pop()) <= 65535),
  { message: 'must be host:port, e.g. 0.0.0.0:8080' },
);
/** A comma list; unset or empty is undefined. */
export const list = optional.transform((s) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** Parse `source` with `schema`, or throw a one-line ConfigError naming the variable (never its value). */
export function parseEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  return parsed.data;
}

/** Refuse a TLS cert without its key (or the reverse). */
export function checkTlsPair(env: { TEMPORAL_TLS_CERT?: string; TEMPORAL_TLS_KEY?: string }): void {
  if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
    throw new ConfigError('invalid configuration: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together');
  }
}
