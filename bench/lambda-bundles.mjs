/**
 * Lambda bundles benchmark (issue 4 item 7 targets, issue 6 item 1): for each Lambda function, the
 * size of its esbuild bundle (zip and unzipped, main chunk) and its cold initialisation time against
 * the unbundled build (dist/ with node_modules), measured in the same run, alternating, so a noisy
 * machine slows both.
 *
 * Cold initialisation: a fresh `node` process with the function's Lambda configuration (no network
 * at init: clients are built, nothing is called) imports the entry module until `handler` is ready
 * (lambda-order-processor/scripts/invoke-bundle.mjs); measured from process start (Node's own
 * start-up included, shown apart on the first row), as the CPU time the process used by then (less
 * inflated than wall time when the machine is busy) and for the import alone. Median of RUNS runs
 * after one discarded warm-up run (file cache). Each bundle runs from its unpacked zip in a
 * temporary folder with no node_modules above it, as on Lambda.
 *
 *   npm run bench:lambda                    # builds, bundles (dist/bundles), measures, writes docs/performance.md
 *   BENCH_LAMBDA_RUNS=20 node bench/lambda-bundles.mjs
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLambdas } from '../lambda-order-processor/scripts/bundle.mjs';
import { ROOT, measuredLine, writeSection as writeDocSection } from './lib/report.mjs';

const PACKAGE_DIR = path.join(ROOT, 'lambda-order-processor');
const INVOKE = path.join(PACKAGE_DIR, 'scripts/invoke-bundle.mjs');
const RUNS = Number(process.env.BENCH_LAMBDA_RUNS ?? 10);
/** Issue 4 targets for the order API. */
const TARGET_MAIN_CHUNK_BYTES = 1_500_000;
const TARGET_COLD_INIT_MS = 250;

/** The functions' Lambda configuration (terraform/locals.tf), with placeholder names; nothing is contacted at init. */
const COMMON_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'orderops-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  STORE: 'dynamodb',
  ORDERS_TABLE: 'orderops-orders',
};
const FUNCTIONS = [
  {
    name: 'order-api',
    unbundled: 'dist/handler/index.js',
    env: { ...COMMON_ENV, AI_PROVIDER: 'bedrock', AI_MODE: 'gray-zone', LAMBDA_ARCHITECTURE: 'arm64', API_TYPE: 'HTTP' },
  },
  {
    name: 'order-events',
    unbundled: 'dist/handler/order-events/index.js',
    env: {
      ...COMMON_ENV,
      ARCHIVE: 's3',
      ARCHIVE_BUCKET: 'orderops-archive',
      ARCHIVE_PREFIX: 'orders/',
      ARCHIVE_SSE: 'AES256',
      NOTIFIER: 'sns',
      SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:orderops-orders',
    },
  },
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const kb = (bytes) => `${(bytes / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} kB`;
const ms = (value) => value.toFixed(0);

/** One cold start in a fresh process: { readyMs, importMs, files, fileBytes } or { error }. */
function coldStart(entry, env, workDir) {
  const resultFile = path.join(workDir, 'result.json');
  rmSync(resultFile, { force: true });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [INVOKE, entry, '--result', resultFile], { cwd: path.dirname(entry), env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors = (errors + chunk).slice(-2_000)));
    child.once('close', (code) => {
      const result = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : { initError: errors.trim() || `exit ${code}` };
      if (code !== 0 || result.initError !== undefined) {
        resolve({ error: (result.initError ?? `exit ${code}`).split('\n')[0].slice(0, 200) });
        return;
      }
      const files = [...new Set(result.loaded.filter((url) => url.startsWith('file:')))].map((url) => fileURLToPath(url));
      resolve({ readyMs: result.readyMs, cpuMs: result.cpuMs, importMs: result.importMs, files: files.length, fileBytes: files.reduce((sum, file) => sum + statSync(file).size, 0) });
    });
  });
}

/** Median cold start of each variant, runs interleaved, after one warm-up each; a variant that fails once is reported failed. */
async function measure(variants, workDir) {
  const samples = variants.map(() => []);
  const errors = variants.map(() => undefined);
  for (let run = -1; run < RUNS; run += 1) {
    for (const [i, variant] of variants.entries()) {
      if (errors[i] !== undefined) continue;
      const sample = await coldStart(variant.entry, variant.env, workDir);
      if (sample.error !== undefined) errors[i] = sample.error;
      else if (run >= 0) samples[i].push(sample);
    }
  }
  return variants.map((variant, i) =>
    errors[i] !== undefined
      ? { ...variant, error: errors[i] }
      : {
          ...variant,
          readyMs: median(samples[i].map((s) => s.readyMs)),
          cpuMs: median(samples[i].map((s) => s.cpuMs)),
          importMs: median(samples[i].map((s) => s.importMs)),
          files: samples[i][0].files,
          fileBytes: samples[i][0].fileBytes,
        },
  );
}

async function main() {
  const startedAt = new Date();
  const bundles = await bundleLambdas({ build: false });
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'orderops-bench-lambda-'));
  try {
    const emptyHandler = path.join(workDir, 'empty', 'index.mjs');
    mkdirSync(path.dirname(emptyHandler));
    writeFileSync(emptyHandler, 'export const handler = async () => ({});\n');
    const [nodeOnly] = await measure([{ label: 'empty handler (Node start-up alone)', entry: emptyHandler, env: {} }], workDir);

    const rows = [];
    for (const fn of FUNCTIONS) {
      const bundle = bundles.find((b) => b.name === fn.name);
      const taskDir = path.join(workDir, fn.name);
      const unzipped = spawnSync('unzip', ['-q', bundle.zip, '-d', taskDir]);
      if (unzipped.status !== 0) throw new Error(`unzip ${bundle.zip}: ${unzipped.stderr}`);
      const [bundled, withoutMaps, unbundled] = await measure(
        [
          { label: 'bundle (as deployed)', entry: path.join(taskDir, 'index.mjs'), env: fn.env },
          { label: 'bundle without --enable-source-maps', entry: path.join(taskDir, 'index.mjs'), env: { ...fn.env, NODE_OPTIONS: '' } },
          { label: 'unbundled (dist + node_modules)', entry: path.join(PACKAGE_DIR, fn.unbundled), env: fn.env },
        ],
        workDir,
      );
      rows.push({ fn, bundle, bundled, withoutMaps, unbundled });
    }
    const section = render(startedAt, nodeOnly, rows);
    writeSection(section);
    console.log(section);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function render(startedAt, nodeOnly, rows) {
  const timing = (m) =>
    m.error !== undefined ? `failed: ${m.error} | | | ` : `${ms(m.readyMs)} | ${ms(m.cpuMs)} | ${ms(m.importMs)} | ${m.files} file${m.files === 1 ? '' : 's'}, ${kb(m.fileBytes)}`;
  const lines = [
    '<!-- bench:lambda:start -->',
    measuredLine('npm run bench:lambda', startedAt),
    `(cold initialisation: median of ${RUNS} fresh processes per variant after one warm-up, variants alternating; the Lambda configuration of terraform/locals.tf, no network at init; CPU time is user + system of the process up to handler ready; the machine is shared with other work, so wall times are noisy).`,
    '',
    '| function | zip | unzipped (JS + maps) | index.mjs | chunks |',
    '|---|---|---|---|---|',
    ...rows.map(({ fn, bundle }) => `| ${fn.name} | ${kb(bundle.zipBytes)} | ${kb(bundle.unzippedBytes)} (${kb(bundle.jsBytes)} + ${kb(bundle.mapBytes)}) | ${kb(bundle.mainBytes)} | ${bundle.chunks} |`),
    '',
    '| function | variant | process start → handler ready, ms | CPU time by then, ms | import alone, ms | code loaded at init |',
    '|---|---|---|---|---|---|',
    `| (none) | ${nodeOnly.label} | ${timing(nodeOnly)} |`,
    ...rows.flatMap(({ fn, bundled, withoutMaps, unbundled }) => [bundled, withoutMaps, unbundled].map((m) => `| ${fn.name} | ${m.label} | ${timing(m)} |`)),
    '',
  ];
  const order = rows.find((row) => row.fn.name === 'order-api');
  if (order !== undefined) {
    const sizeMet = order.bundle.mainBytes <= TARGET_MAIN_CHUNK_BYTES;
    const init =
      order.bundled.error === undefined
        ? `${ms(order.bundled.readyMs)} ms from process start, ${ms(order.bundled.cpuMs)} ms of CPU (unbundled ${order.unbundled.error === undefined ? `${ms(order.unbundled.readyMs)} ms, ${ms(order.unbundled.cpuMs)} ms of CPU` : 'failed'}), ${order.bundled.readyMs < TARGET_COLD_INIT_MS ? 'met' : 'missed'}`
        : `not measured: the bundle failed to initialise (${order.bundled.error})`;
    lines.push(
      `Targets (issue 4), order API: main chunk at most ${kb(TARGET_MAIN_CHUNK_BYTES)} minified: ${kb(order.bundle.mainBytes)}, ${sizeMet ? 'met' : 'missed'}; cold initialisation under ${TARGET_COLD_INIT_MS} ms: ${init}.`,
    );
  }
  lines.push('<!-- bench:lambda:end -->');
  return lines.join('\n');
}

const LAMBDA_INTRO = [
  'The two Lambda functions are shipped as esbuild bundles (`npm run bundle`: `lambda-order-processor/scripts/bundle.mjs`;',
  'ESM for Node.js 22, minified, tree-shaken, each adapter the configuration chooses in its own chunk, source maps',
  'beside the code), zipped to `lambda-order-processor/dist/bundles/order-api.zip` and `order-events.zip`; figures by',
  '`bench/lambda-bundles.mjs`. Most of each main chunk is data: mailchecker\'s disposable-domain list (0.98 MB, carried',
  'as a JSON string, which V8 parses about twice as fast as the same array literal) and the postal code formats. The',
  'events function carries the list too only because the configuration module imports the screening defaults from',
  '`domain/scoring/screen.ts`, which imports every signal.',
].join('\n');

/**
 * Replaces this bench's part of docs/performance.md, its heading and introduction through its end
 * marker (re-read right before writing; the other benches' sections are left as they are), or
 * appends it.
 */
function writeSection(section) {
  writeDocSection('lambda', section, { heading: 'Lambda bundles', intro: LAMBDA_INTRO, ownsHeading: true });
}

await main();
