import path from 'node:path';
import { z } from 'zod';
import { clientEnvSchema, codecServerEnvSchema, workerEnvSchema } from '../src/config';
import { devEnvSchema } from '../src/config/dev';
import { envPrefix } from '../src/providers/manifest';
import { MANIFESTS } from '../src/providers/registry';

/** The generated page (the whole file is generated). */
export const CONFIG_DOC = path.resolve(__dirname, '..', 'docs', 'configuration.md');

/** Each process's env schema and what it is called in the "read by" column. Add a schema here when you add one. */
export const READERS: readonly { who: string; schema: z.ZodObject }[] = [
  { who: 'worker', schema: workerEnvSchema as unknown as z.ZodObject },
  { who: 'client', schema: clientEnvSchema },
  { who: 'codec server', schema: codecServerEnvSchema },
  { who: 'npm start', schema: devEnvSchema },
];

/** Variables read by name outside the schemas (patterns, the OTel SDK's own): name, who, default, description. */
export const OUTSIDE_SCHEMAS: readonly [string, string, string, string][] = [
  [
    '<PROVIDER>_RETRY_MAX_ATTEMPTS',
    'worker',
    'per provider (docs/providers.md)',
    "the provider's retry budget at the pivot, e.g. `FUNGIES_RETRY_MAX_ATTEMPTS=10`",
  ],
  ['<PROVIDER>_RETRY_INITIAL_INTERVAL_MS', 'worker', '`1000`', 'first retry interval of the provider call, in ms'],
  ['<PROVIDER>_RETRY_MAX_INTERVAL_MS', 'worker', '`30000`', 'longest retry interval of the provider call, in ms'],
  [
    '<PROVIDER>_CANCELLABLE_STATUSES',
    'worker',
    'per provider (docs/providers.md)',
    'comma list overriding which provider statuses can still be cancelled',
  ],
  [
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'worker, client',
    '— (tracing off)',
    'OpenTelemetry traces exported with OTLP/HTTP, e.g. `http://otel-collector:4318` (`OTEL_EXPORTER_OTLP_HEADERS` too)',
  ],
  ['OTEL_SERVICE_NAME', 'worker, client', '`order-cancellation-worker`', 'the service name on the spans'],
  [
    'CANCEL_ORDERS_GIVE_UP_AFTER',
    'CLI',
    '`10m`',
    '`start --wait` / `bulk --wait`: how long to keep re-attaching while Temporal is unreachable',
  ],
  [
    'TEMPORAL_CLI_PATH',
    'npm start, npm test',
    '—',
    'the `temporal` binary (else `temporal` on PATH, else python3 scripts folder)',
  ],
];

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The schema's default as text: a zod `.default()`, else `.meta({ default })`, else undefined. */
function defaultOf(schema: z.ZodType): string | undefined {
  const def = schema._zod.def as { type: string; defaultValue?: unknown };
  if (def.type === 'default') return String(def.defaultValue);
  const meta = z.globalRegistry.get(schema) as { default?: unknown } | undefined;
  return meta?.default === undefined ? undefined : String(meta.default);
}

/** One documented variable. */
export interface Variable {
  name: string;
  readers: string[];
  default?: string;
  description?: string;
}

/** Every variable of every schema, in first-seen order, with every process that reads it. */
export function schemaVariables(): Variable[] {
  const byName = new Map<string, Variable>();
  for (const { who, schema } of READERS) {
    for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const v = byName.get(name) ?? { name, readers: [], default: defaultOf(field), description: field.description };
      v.readers.push(who);
      byName.set(name, v);
    }
  }
  return [...byName.values()];
}

/** A markdown table with padded columns, as prettier lays it out (so `prettier --check` leaves it alone). */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(3, ...rows.map((r) => [...r[i]].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join(' | ')} |`;
  return [line(rows[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.slice(1).map(line)];
}

const HEAD = ['variable', 'read by', 'default', 'description'];
const row = (v: Variable, notes = '') => [
  code(v.name),
  v.readers.join(', '),
  v.default === undefined ? '—' : /\s/.test(v.default) ? v.default : code(v.default),
  cell(v.description ?? '') + notes,
];

/** A manifest field's flags, as the provider tables show them: required, secret, allowed values. */
function manifestNotes(name: string): string {
  const f = MANIFESTS.flatMap((m) => m.config).find((c) => c.env === name);
  const notes = [f?.required && 'required to enable', f?.secret && 'secret', f?.values?.map(code).join(' / ')];
  const text = notes.filter(Boolean).join('; ');
  return text ? ` (${text})` : '';
}

/** docs/configuration.md, generated from the env schemas of src/config and the provider manifests. */
export function renderConfigDocs(): string {
  const providerNames = new Set(
    MANIFESTS.flatMap((m) => [...m.config.map((f) => f.env), `${envPrefix(m.id)}_MAX_CALLS_PER_SECOND`]),
  );
  const vars = schemaVariables();
  const core = vars.filter((v) => !providerNames.has(v.name));
  const providers = vars.filter((v) => providerNames.has(v.name));
  return [
    '# Configuration',
    '',
    '<!-- Generated from the zod env schemas (src/config) and the provider manifests: `npm run docs`. Do not edit. -->',
    '',
    'Every process reads only its environment, checked at start: a bad value stops it with one line naming the',
    'variable (never its value). Empty counts as unset. "read by": `worker` is `npx cancel-orders worker` (or',
    '`node lib/worker/main.js`), `client` the CLI and the typed clients, `codec server` `npx cancel-orders codec-server`;',
    '`npm start` (`cancel-orders dev`) runs a worker and a codec server in one process, so it reads theirs too.',
    '',
    '## Temporal, worker, clients, codec server',
    '',
    ...table([HEAD, ...core.map((v) => row(v))]),
    '',
    '## Providers',
    '',
    'A provider without its required variables is disabled: a cancellation for it ends `FAILED` at once with "provider X',
    'is not enabled on this worker (its credentials are not set)", and the worker logs at start which providers are',
    'enabled. What each provider can do and its defaults: [providers.md](providers.md).',
    '',
    ...table([HEAD, ...providers.map((v) => row(v, manifestNotes(v.name)))]),
    '',
    '## Read by name outside the schemas',
    '',
    '`<PROVIDER>` is the provider id upper-cased (`FUNGIES`).',
    '',
    ...table([HEAD, ...OUTSIDE_SCHEMAS.map(([n, who, d, desc]) => [code(n), who, d, cell(desc)])]),
    '',
  ].join('\n');
}
