/** The one config module: each process's environment in one zod schema, sharing the helpers of ./env. */
export { ConfigError } from './env';
export { clientEnvSchema, loadClientEnv, type ClientEnv, type TemporalEnv } from './client';
export {
  deploymentVersion,
  loadConfig,
  loadLogLevel,
  providerCaps,
  providerSettings,
  workflowBundlePath,
  workerEnvSchema,
  type Env,
  type ProviderCaps,
  type WorkerConfig,
} from './worker';
export { encryptionKeys, type EncryptionKey } from './encryption';
export { loadCodecServerEnv, codecServerEnvSchema, type CodecServerEnv } from './codec-server';
export { devEnvSchema, loadDevSettings, type DevSettings } from './dev';
