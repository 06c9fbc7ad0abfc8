import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/stack';
import { ConfigError, deploymentVersion, loadConfig, loadClientEnv } from '../../src/config';
import { connectionOptions } from '../../src/connection';
import { installRuntime } from '../../src/worker/main';
import { buildAdapters } from '../../src/worker/providers';
import { MANIFESTS } from '../../src/providers/registry';

const SECRET = 'sk_live_DO_NOT_PRINT_7f3a';

/** The error loadConfig throws for this environment (fails the test when it does not throw). */
function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults: local Temporal, default namespace and queue, 10 s provider timeout, nothing enabled', () => {
    const { env, policies } = loadConfig({});
    expect(env).toMatchObject({
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'order-cancellation',
      PROVIDER_TIMEOUT_MS: 10_000,
      WORKER_MAX_CONCURRENT_ACTIVITIES: 200,
      FUNGIES_BASE_URL: 'https://api.fungies.io',
    });
    expect(env.TEMPORAL_API_KEY).toBeUndefined();
    expect(env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS).toBeUndefined(); // the SDK's default
    expect(loadConfig({ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '5' }).env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS).toBe(5);
    expect(policies.provider.fungies.maximumAttempts).toBeGreaterThan(0);
    expect(buildAdapters(env)).toEqual({});
  });

  it.each([
    ['EVITALRX_BASE_URL', `not a url ${SECRET}`],
    ['MERCHANT_WEBHOOK_URL', `ftp//${SECRET}`],
    ['ECOM_BASE_URL', SECRET],
    ['ECOM_AUTH_HEADER', `Bearer ${SECRET}`],
    ['EVITALRX_BODY_ENCODING', `xml-${SECRET}`],
    ['EVITALRX_REASON_SOURCE', SECRET],
    ['PROVIDER_TIMEOUT_MS', `${SECRET}`],
    ['PROVIDER_TIMEOUT_MS', '-5'],
    ['WORKER_MAX_CONCURRENT_ACTIVITIES', '1.5'],
    ['WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', '0'],
    ['FUNGIES_RETRY_MAX_ATTEMPTS', `x${SECRET}`],
    ['ECOM_RETRY_INITIAL_INTERVAL_MS', '0'],
    ['TEMPORAL_NAMESPACE', ''],
  ])('%s=%j stops start-up with one line naming the variable, never the value', (name, value) => {
    const err = configError(() => loadConfig({ [name]: value }));
    expect(err.message).toMatch(new RegExp(`^invalid configuration: ${name} `));
    expect(err.message).not.toContain('\n');
    expect(err.message).not.toContain(SECRET);
  });

  it('a webhook URL without its secret, or a TLS cert without its key, is refused by name', () => {
    expect(configError(() => loadConfig({ MERCHANT_WEBHOOK_URL: 'https://merchant.example/hook' })).message).toBe(
      'invalid configuration: MERCHANT_WEBHOOK_SECRET is required when MERCHANT_WEBHOOK_URL is set',
    );
    expect(configError(() => loadConfig({ TEMPORAL_TLS_CERT: '/etc/tls/client.pem' })).message).toBe(
      'invalid configuration: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together',
    );
  });

  it('WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID go together; both set = a deployment version, neither = none', () => {
    expect(configError(() => loadConfig({ WORKER_DEPLOYMENT_NAME: 'occ' })).message).toBe(
      'invalid configuration: WORKER_BUILD_ID is required when WORKER_DEPLOYMENT_NAME is set',
    );
    expect(configError(() => loadConfig({ WORKER_BUILD_ID: 'v2', WORKER_DEPLOYMENT_NAME: ' ' })).message).toBe(
      'invalid configuration: WORKER_DEPLOYMENT_NAME is required when WORKER_BUILD_ID is set',
    );
    const both = loadConfig({ WORKER_DEPLOYMENT_NAME: 'occ', WORKER_BUILD_ID: 'v2' }).env;
    expect(deploymentVersion(both)).toEqual({ deploymentName: 'occ', buildId: 'v2' });
    expect(deploymentVersion(loadConfig({}).env)).toBeUndefined();
  });

  it('a provider is enabled only with all its credentials; blank values count as unset', () => {
    const c = SANDBOX_CREDENTIALS;
    const partial = loadConfig({
      FUNGIES_PUBLIC_KEY: c.FUNGIES_PUBLIC_KEY, // the secret key is missing
      ECOM_AUTH_HEADER: c.ECOM_AUTH_HEADER, // the base URL is missing
      FINCART_TOKEN: '   ',
      FASTPOD_TOKEN: c.FASTPOD_TOKEN,
    });
    expect(Object.keys(buildAdapters(partial.env))).toEqual(['fastpod']);
    const all = loadConfig({
      EVITALRX_API_KEY: c.EVITALRX_API_KEY,
      FINCART_TOKEN: c.FINCART_TOKEN,
      FASTPOD_TOKEN: c.FASTPOD_TOKEN,
      FUNGIES_PUBLIC_KEY: c.FUNGIES_PUBLIC_KEY,
      FUNGIES_SECRET_KEY: c.FUNGIES_SECRET_KEY,
      ECOM_BASE_URL: 'http://127.0.0.1:9/',
      ECOM_AUTH_HEADER: c.ECOM_AUTH_HEADER,
    });
    expect(Object.keys(buildAdapters(all.env)).sort()).toEqual(['ecom', 'evitalrx', 'fastpod', 'fincart', 'fungies']);
  });

  it('per-provider retry budgets and cancellable statuses can be overridden', () => {
    const { policies, eligibility } = loadConfig({
      FASTPOD_RETRY_MAX_ATTEMPTS: '2',
      FASTPOD_RETRY_INITIAL_INTERVAL_MS: '50',
      FASTPOD_CANCELLABLE_STATUSES: 'draft, on_hold',
    });
    expect(policies.provider.fastpod).toMatchObject({ maximumAttempts: 2, initialIntervalMs: 50 });
    expect(eligibility.fastpod.cancellable).toEqual(['draft', 'on_hold']);
    expect(eligibility.fastpod.cancelled).toEqual(['cancelled']);
  });
});

describe('per-provider rate caps (<PROVIDER>_MAX_CALLS_PER_SECOND)', () => {
  it('set ones become caps (decimals allowed); unset or blank ones are left out (the queue keeps its limit)', () => {
    const { caps } = loadConfig({
      FUNGIES_MAX_CALLS_PER_SECOND: '50',
      FINCART_MAX_CALLS_PER_SECOND: '0.5',
      ECOM_MAX_CALLS_PER_SECOND: ' ',
    });
    // A manifest's default cap applies while its variable is unset.
    const defaults = Object.fromEntries(
      MANIFESTS.flatMap((m) => (m.maxCallsPerSecond ? [[m.id, m.maxCallsPerSecond]] : [])),
    );
    expect(caps).toEqual({ ...defaults, fungies: 50, fincart: 0.5 });
    expect(loadConfig({}).caps).toEqual(defaults);
  });

  it.each([['0'], ['-3'], ['fast']])('%s is refused in one line naming the variable', (value) => {
    const err = configError(() => loadConfig({ FASTPOD_MAX_CALLS_PER_SECOND: value }));
    expect(err.message).toMatch(/^invalid configuration: FASTPOD_MAX_CALLS_PER_SECOND must be (a number|> 0)/);
    expect(err.message).not.toContain('\n');
  });
});

describe('client-side environment (TEMPORAL_* only)', () => {
  it('defaults, and provider credentials are not needed', () => {
    expect(loadClientEnv({})).toMatchObject({
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'order-cancellation',
    });
  });

  it.each([
    ['TEMPORAL_ADDRESS', `http://${SECRET}@host`],
    ['TEMPORAL_TASK_QUEUE', ' '],
    ['TEMPORAL_UI_URL', SECRET],
  ])('%s=%j is refused by name only', (name, value) => {
    const err = configError(() => loadClientEnv({ [name]: value }));
    expect(err.message).toMatch(new RegExp(`^invalid configuration: ${name} `));
    expect(err.message).not.toContain(SECRET);
  });

  it('an API key turns TLS on; cert and key files give mTLS; an unreadable file is named, not shown', () => {
    const base = loadClientEnv({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: SECRET });
    expect(connectionOptions(base)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', apiKey: SECRET, tls: true });
    expect(connectionOptions(loadClientEnv({}))).toEqual({ address: 'localhost:7233' });

    const dir = mkdtempSync(path.join(tmpdir(), 'tls-'));
    writeFileSync(path.join(dir, 'crt.pem'), 'CERT');
    writeFileSync(path.join(dir, 'key.pem'), SECRET);
    const mtls = connectionOptions(
      loadClientEnv({ TEMPORAL_TLS_CERT: path.join(dir, 'crt.pem'), TEMPORAL_TLS_KEY: path.join(dir, 'key.pem') }),
    );
    expect(mtls.tls).toEqual({ clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from(SECRET) } });

    const env = loadClientEnv({
      TEMPORAL_TLS_CERT: path.join(dir, 'crt.pem'),
      TEMPORAL_TLS_KEY: path.join(dir, 'nope'),
    });
    expect(configError(() => connectionOptions(env)).message).toBe(
      'invalid configuration: TEMPORAL_TLS_KEY cannot be read (ENOENT)',
    );
  });
});

it('LOG_LEVEL must be a known level (checked before the runtime is installed)', () => {
  expect(configError(() => installRuntime({ LOG_LEVEL: 'loud' })).message).toBe(
    'invalid configuration: LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR',
  );
});
