import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap, type Worker } from '@temporalio/worker';
import { dataConverterFor, FAILURE_CONVERTER_PATH } from '../../src/codec';
import { encryptionKeys } from '../../src/config/encryption';
import { requireTemporalCli } from '../../src/devserver/find-cli';
import type { TestStack } from './stack';

/** A fresh `keyId:base64` entry for PAYLOAD_ENCRYPTION_KEYS. */
export const newKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle as an encrypting worker builds it (failure messages go into encoded attributes). */
function encryptedBundle(): Promise<WorkflowBundleWithSourceMap> {
  const noop = () => undefined;
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop },
  });
  return bundle;
}

/** A stack worker with the data converter `PAYLOAD_ENCRYPTION_KEYS=keys` gives (as src/worker/main.ts builds it). */
export async function encryptedWorker(stack: TestStack, keys: string, taskQueue?: string) {
  const { worker, taskQueue: tq } = await stack.newWorker({ PAYLOAD_ENCRYPTION_KEYS: keys }, taskQueue, {
    workflowBundle: await encryptedBundle(),
    dataConverter: dataConverterFor(encryptionKeys.parse(keys)),
  });
  return { worker: worker as Worker, taskQueue: tq };
}

/** A client on the stack's connection with `PAYLOAD_ENCRYPTION_KEYS=keys` (undefined: unset). */
export function encryptedClient(stack: TestStack, keys: string | undefined): Client {
  return new Client({
    connection: stack.env.connection,
    dataConverter: dataConverterFor(encryptionKeys.parse(keys)),
  });
}

/** `temporal workflow show --output json`: the history exactly as anyone with database/API access reads it. */
export async function showHistory(
  stack: TestStack,
  workflowId: string,
): Promise<{ events: Record<string, unknown>[] }> {
  const { stdout } = await promisify(execFile)(
    requireTemporalCli(),
    ['workflow', 'show', '--address', stack.env.address, '--workflow-id', workflowId, '--output', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as { events: Record<string, unknown>[] };
}

/** Where `needle` is readable in a history outside search attributes: as text, or inside a base64 field. */
export function leaks(history: unknown, needle: string): string[] {
  const found: string[] = [];
  const walk = (v: unknown, at: string, key = ''): void => {
    if (key === 'searchAttributes') return;
    if (typeof v === 'string') {
      const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(v) ? Buffer.from(v, 'base64').toString('latin1') : '';
      if (v.includes(needle) || decoded.includes(needle)) found.push(at);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`, k);
  };
  walk(history, '$');
  return found;
}
