import path from 'node:path';
import { DEFAULT_DEV_DATA_DIR } from '../../config/dev';
import { PROVIDER_IDS } from '../../contract/providers';
import { stackFilePath, type StackFile } from '../../devserver/stack-file';
import { displayPath, println } from './context';
import { demoLines } from './demo';

/** What `npm start` prints once everything runs: where each service listens, then commands for a second shell. */
export function printBanner(stack: StackFile, o: { dbFile?: string; keyId?: string; dataDir: string }): void {
  const sb = stack.ports.sandbox;
  const findsIt =
    path.resolve(o.dataDir) === DEFAULT_DEV_DATA_DIR
      ? 'From another shell in this repository (the CLI finds this stack by itself):'
      : `From another shell, with DEV_DATA_DIR=${o.dataDir} (so the CLI finds this stack):`;
  println(
    '',
    'Order-cancellation sandbox is ready.',
    `  Temporal:   ${stack.address} (namespace ${stack.namespace}, task queue ${stack.taskQueue})` +
      (o.dbFile ? `; data in ${displayPath(o.dbFile)}` : ''),
    ...(stack.uiUrl ? [`  Web UI:     ${stack.uiUrl} (payloads decrypted through the codec server)`] : []),
    `  Codec:      ${stack.codecUrl}`,
    `  Metrics:    ${stack.metricsUrl} (Prometheus)`,
    `  Payloads:   encrypted with key ${o.keyId}` +
      (stack.keyFile ? ` (${displayPath(stack.keyFile)})` : ' (your own keys)'),
    `  Simulators: ${PROVIDER_IDS.map((id) => `${id} :${sb[id]}`).join(', ')}; ` +
      `merchant webhook receiver :${sb.merchant} (127.0.0.1)`,
    `  Stack file: ${displayPath(stackFilePath(o.dataDir))} (removed on stop)`,
    '',
    stack.keyFile ? findsIt : `${findsIt.slice(0, -1)} with the same PAYLOAD_ENCRYPTION_KEYS:`,
    ...demoLines(),
    '',
    'Ctrl-C stops everything.',
    '',
  );
}
