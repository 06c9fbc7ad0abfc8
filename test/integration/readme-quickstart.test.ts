// The README's quick-start, run as written: `npm start` (cancel-orders dev) in a temp data dir on free ports, then
// every command of the `<!-- quickstart -->` blocks in a second shell that knows only DEV_DATA_DIR (no
// TEMPORAL_ADDRESS, no PAYLOAD_ENCRYPTION_KEYS: the CLI finds the stack and its dev key by itself), each output
// compared with the README's sample after normalising ids, times and durations.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROVIDER_IDS } from '../../src/contract/providers';
import { cleanEnv, startDevStack, type RunningDevStack } from '../helpers/dev-stack';
import { commands, inOrder, markedBlocks, normalise, type MarkedBlock } from '../helpers/readme';

const ROOT = path.join(__dirname, '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = markedBlocks(README);

/** The dev stack contract's flags (DEV_* variables); without them `npm start` would take the default ports. */
const CONTRACT_FLAGS = [
  '--temporal-port',
  '--ui-port',
  '--codec-port',
  '--sandbox-port',
  '--metrics-port',
  '--data-dir',
];
const DEFAULT_PORTS = { temporal: 7233, ui: 8233, codec: 8888, sandbox: 7301, metrics: 9464 };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeout = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env, timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

let dev: RunningDevStack | undefined;
/** A second shell: the user's environment with only DEV_DATA_DIR added (no TEMPORAL_*, no keys). */
let shell: NodeJS.ProcessEnv;

/** The test's data dir and ports written back as the README shows them (the defaults). */
function replacements(): [string, string][] {
  const { dataDir, ports } = dev!;
  const pairs: [string, string][] = [
    [dataDir + path.sep, '.temporal/'],
    [dataDir, '.temporal'],
  ];
  for (const [k, p] of Object.entries(ports) as [keyof typeof DEFAULT_PORTS, number][]) {
    if (k === 'sandbox') {
      for (let i = PROVIDER_IDS.length; i >= 0; i--) pairs.push([`:${p + i}`, `:${DEFAULT_PORTS.sandbox + i}`]);
    } else pairs.push([`:${p}`, `:${DEFAULT_PORTS[k]}`]);
  }
  return pairs;
}

beforeAll(async () => {
  expect(blocks.filter((b) => b.kind === 'quickstart').length).toBeGreaterThan(0);
  const help = await run(process.execPath, [path.join(ROOT, 'bin', 'cancel-orders.js'), 'dev', '--help'], process.env);
  const missing = CONTRACT_FLAGS.filter((f) => !help.stdout.includes(f));
  // Fail, not skip: the README promises a stack on chosen ports and a CLI that finds it.
  if (missing.length) throw new Error(`\`npm start -- --help\` lacks the dev stack contract's ${missing.join(', ')}`);
  // `npm start` itself (prestart included), on free ports in a temp data dir.
  dev = await startDevStack(); // ready: its stack.json written and its banner printed
  shell = cleanEnv({ DEV_DATA_DIR: dev.dataDir });
}, 300_000);

afterAll(async () => {
  await dev?.stop();
}, 60_000);

test("npm start prints the README's sample lines", () => {
  const sample = blocks.find((b) => b.kind === 'quickstart-start-output');
  expect(sample).toBeDefined();
  const have = normalise(dev!.output(), replacements());
  const missing = inOrder(normalise(sample!.lines.join('\n')), have);
  // A README line npm start no longer prints (or prints differently): update the README's sample.
  if (missing !== undefined) {
    throw new Error(
      `npm start did not print the README's line\n${missing}\nIt printed (normalised):\n${have.join('\n')}`,
    );
  }
});

/** Run one command as a user would in a second shell; retry-until-ok reruns it while it fails (waiting on state). */
async function runCommand(block: MarkedBlock, cmd: string): Promise<Run> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await run('bash', ['-c', cmd], shell);
    if (r.code === 0 || !block.flags.includes('retry-until-ok') || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 250));
  }
}

describe.each(blocks.flatMap((b, i) => (b.kind === 'quickstart' ? [[`README.md:${b.at}`, i] as const] : [])))(
  'the commands at %s',
  (_where, index) => {
    test('exit 0 and print what the README shows', async () => {
      const block = blocks[index];
      let stdout = '';
      for (const cmd of commands(block)) {
        const r = await runCommand(block, cmd);
        // Each command as written must succeed: show what it said when it does not.
        expect({ cmd, code: r.code, stderr: r.stderr, stdout: r.stdout }).toMatchObject({ cmd, code: 0 });
        stdout += r.stdout;
      }
      const sample = blocks[index + 1]?.kind === 'quickstart-output' ? blocks[index + 1] : undefined;
      if (sample) expect(normalise(stdout, replacements())).toEqual(normalise(sample.lines.join('\n')));
    }, 300_000);
  },
);
