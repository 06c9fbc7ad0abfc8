import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (`.ci/run` installs it); CHROMIUM_PATH points elsewhere. Nothing is downloaded at run time. */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new Error(
      `browser test: no Chromium at ${candidates.join(' or ')}; install it (\`apt-get install chromium\`, as .ci/run ` +
        'does) or set CHROMIUM_PATH',
    );
  }
  return found;
}

/** Headless Chromium; --no-sandbox because CI runs as root. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: requireChromium(), args: ['--no-sandbox'] });
}

/** Where screenshots go (git-ignored test artefacts). */
export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', 'artifacts');

/** Numbered screenshots of one test run in artifacts/<name>/; returns each file's path. */
export function screenshots(name: string): (page: Page, step: string) => Promise<string> {
  const dir = path.join(ARTIFACTS_DIR, name);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page, step) => {
    n += 1;
    const file = path.join(dir, `${String(n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file });
    return file;
  };
}

export { freePort } from './ports';
