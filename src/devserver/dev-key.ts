import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DEV_DATA_DIR } from '../config/dev-options';

/** The dev key file in a data folder (`npm start --data-dir`). */
export function devKeyFile(dataDir: string): string {
  return path.join(dataDir, 'payload-keys');
}

/** Where `npm start` keeps its generated payload key by default (gitignored with the rest of `.temporal/`). */
export const DEV_KEY_FILE = devKeyFile(DEFAULT_DEV_DATA_DIR);

/**
 * The PAYLOAD_ENCRYPTION_KEYS value `npm start` uses: the caller's own when set, else the dev key file's, created
 * on first start (owner-only) so workflows in the kept dev database stay readable across restarts.
 */
export function devEncryptionKeys(source: NodeJS.ProcessEnv, file: string = DEV_KEY_FILE): string {
  const own = source.PAYLOAD_ENCRYPTION_KEYS?.trim();
  if (own) return own;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const value = `dev-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}:${randomBytes(32).toString('base64')}`;
  writeFileSync(file, value + '\n', { mode: 0o600 });
  return value;
}
