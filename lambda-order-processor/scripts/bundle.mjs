/**
 * Lambda packaging (issue 4 item 7): one esbuild bundle per Lambda function, zipped deterministically
 * to the names Terraform references (terraform/variables.tf):
 *
 *   dist/bundles/order-api.zip      the order API   (src/handler/index.ts)
 *   dist/bundles/order-events.zip   the events Lambda (src/handler/order-events/index.ts)
 *
 * Each zip holds `index.mjs` (handler `index.handler`, ESM, Node.js 22; no native code, so it runs on
 * arm64 and x86_64 alike), its chunks and their source maps. Code splitting turns every dynamic
 * import() of the composition root into its own chunk, loaded only when configuration selects that
 * adapter: the order API on Lambda (STORE=dynamodb, AI_PROVIDER=bedrock|none) never loads the SQLite
 * store, the file sinks or S3/SNS (its events leave through the table's stream, to the events
 * Lambda). better-sqlite3 (native) is external: only the SQLite chunk imports it.
 *
 * The input is the TypeScript compiler's output (dist/), built first: tsc emits the decorator
 * metadata class-validator and class-transformer read (esbuild does not), and its source maps are
 * chained, so the bundle's maps point at src/*.ts (`--enable-source-maps`, set by NODE_OPTIONS in
 * Terraform, makes stack traces use them).
 *
 * Next to each bundle folder: meta.json (esbuild's metafile: which input went into which chunk, and
 * which chunk imports which, statically or dynamically).
 *
 *   node scripts/bundle.mjs                    # build with tsc, bundle, zip into dist/bundles
 *   node scripts/bundle.mjs --out-dir /tmp/x   # the same into another folder (tests)
 *   node scripts/bundle.mjs --no-tsc           # bundle the existing dist/ without building
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import yazl from 'yazl';

export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT_DIR = path.join(PACKAGE_DIR, 'dist/bundles');

/** The Lambda functions: zip name (Terraform) and the compiled entry module exporting `handler`. */
export const LAMBDAS = [
  { name: 'order-api', entry: 'dist/handler/index.js' },
  { name: 'order-events', entry: 'dist/handler/order-events/index.js' },
];

/** Native: loaded only by the SQLite store's chunk, which the Lambda never imports. */
const EXTERNAL = ['better-sqlite3'];

/**
 * The same timestamp for every zip entry. DOS timestamps are local time, so the date is built from
 * local components (identical bytes in every time zone), and the UTC extra field is left out.
 */
const ZIP_MTIME = new Date(2000, 0, 1, 0, 0, 0);
const ZIP_FILE_MODE = 0o100644;

/**
 * ESM output has no `require`; CommonJS dependencies bundled into it (the AWS SDK's helpers,
 * class-validator's dependencies) call it for Node built-ins, so each chunk gets one.
 */
const REQUIRE_BANNER = "import { createRequire as __orderopsCreateRequire } from 'node:module'; const require = __orderopsCreateRequire(import.meta.url);";

/**
 * postal-codes-js picks its format loader with detect-node: on Node, `formats-node.js` loads
 * `formats/<format>.json` with eval('require') on a computed path, which a bundle cannot carry (and
 * esbuild cannot see). The package's own `formats-web.js` is the same function over a static map
 * of every format file; on Node the bundle uses that one.
 */
const postalCodeFormatsStatic = {
  name: 'postal-codes-js-static-formats',
  setup(build) {
    build.onResolve({ filter: /^\.\/formats-node(\.js)?$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]postal-codes-js[\\/]/.test(args.importer)) return undefined;
      return { path: path.join(path.dirname(args.importer), 'formats-web.js') };
    });
  },
};

/**
 * mailchecker's disposable-domain list is a 56,000-string array literal (0.98 MB, most of the order
 * API's main chunk), parsed at every cold start. V8 parses the same data about twice as fast from a
 * JSON string (JSON.parse) as from a JavaScript literal, so the bundle carries it that way.
 */
const mailcheckerListAsJson = {
  name: 'mailchecker-list-as-json',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]mailchecker[\\/]platform[\\/]node[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const list = /new Set\((\[[^\]]*\])\)/.exec(source);
      if (list === null) throw new Error(`${args.path}: the domain list (new Set([...])) is not where this plugin expects it`);
      JSON.parse(list[1]); // throws if the literal is not plain JSON
      return { contents: source.replace(list[0], () => `new Set(JSON.parse(${JSON.stringify(list[1])}))`), loader: 'js' };
    });
  },
};

function buildTypeScript() {
  const tsc = path.join(PACKAGE_DIR, '../node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', PACKAGE_DIR], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -b ${PACKAGE_DIR} failed (exit ${result.status ?? result.signal})`);
}

/** Every file of the bundle (not meta.json) into one zip: sorted names, fixed time and mode. */
function zipFolder(files, zipPath) {
  const zip = new yazl.ZipFile();
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    zip.addBuffer(Buffer.from(file.contents), file.name, { mtime: ZIP_MTIME, mode: ZIP_FILE_MODE, compress: true, forceDosTimestamp: true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const out = createWriteStream(zipPath);
    zip.outputStream.on('error', reject).pipe(out).on('error', reject).on('close', resolve);
  });
}

/**
 * Bundles one Lambda. The build runs in memory against the fixed folder dist/bundles/<name> (so the
 * source maps' relative paths, hence the bytes, do not depend on where the files are written), then
 * the files are written under outDir.
 */
async function bundleOne(lambda, outDir) {
  const virtualDir = path.join(PACKAGE_DIR, 'dist/bundles', lambda.name);
  const result = await esbuild.build({
    absWorkingDir: PACKAGE_DIR,
    entryPoints: { index: path.join(PACKAGE_DIR, lambda.entry) },
    outdir: virtualDir,
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // The ESM builds of the AWS SDK and Powertools tree-shake; their CommonJS builds do not.
    mainFields: ['module', 'main'],
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    treeShaking: true,
    // Errors and loggers report constructor and function names; keep them through minification.
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    external: EXTERNAL,
    banner: { js: REQUIRE_BANNER },
    plugins: [postalCodeFormatsStatic, mailcheckerListAsJson],
    metafile: true,
    logLevel: 'silent',
  });
  for (const warning of result.warnings) console.warn(`[${lambda.name}] esbuild: ${warning.text}${warning.location ? ` (${warning.location.file}:${warning.location.line})` : ''}`);

  const dir = path.join(outDir, lambda.name);
  rmSync(dir, { recursive: true, force: true });
  const files = result.outputFiles.map((file) => ({ name: path.relative(virtualDir, file.path).split(path.sep).join('/'), contents: file.contents }));
  for (const file of files) {
    const target = path.join(dir, file.name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
  writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(result.metafile, null, 2));
  const zipPath = path.join(outDir, `${lambda.name}.zip`);
  await zipFolder(files, zipPath);

  const bytesOf = (predicate) => files.filter((file) => predicate(file.name)).reduce((sum, file) => sum + file.contents.byteLength, 0);
  return {
    name: lambda.name,
    dir,
    zip: zipPath,
    zipBytes: readFileSync(zipPath).byteLength,
    mainBytes: bytesOf((name) => name === 'index.mjs'),
    jsBytes: bytesOf((name) => name.endsWith('.mjs')),
    mapBytes: bytesOf((name) => name.endsWith('.map')),
    unzippedBytes: bytesOf(() => true),
    chunks: files.filter((file) => file.name.startsWith('chunks/') && file.name.endsWith('.mjs')).length,
  };
}

/** Bundles and zips every Lambda into outDir; returns the size of each. */
export async function bundleLambdas({ outDir = DEFAULT_OUT_DIR, build = true } = {}) {
  if (build) buildTypeScript();
  mkdirSync(outDir, { recursive: true });
  const bundles = [];
  for (const lambda of LAMBDAS) bundles.push(await bundleOne(lambda, outDir));
  return bundles;
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

export function sizeSummary(bundles) {
  const rows = bundles.map((b) => [b.name, kib(b.mainBytes), kib(b.jsBytes), String(b.chunks), kib(b.mapBytes), kib(b.unzippedBytes), kib(b.zipBytes)]);
  const header = ['bundle', 'index.mjs', 'all JS', 'chunks', 'maps', 'unzipped', 'zip'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function parseArgs(argv) {
  const options = { outDir: DEFAULT_OUT_DIR, build: true };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--no-tsc') options.build = false;
    else if (arg === '--out-dir' && argv[i + 1] !== undefined) options.outDir = path.resolve(argv[(i += 1)]);
    else throw new Error(`unknown argument ${arg} (usage: bundle.mjs [--out-dir DIR] [--no-tsc])`);
  }
  return options;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const bundles = await bundleLambdas(parseArgs(process.argv.slice(2)));
  console.log(sizeSummary(bundles));
  for (const bundle of bundles) console.log(`${path.relative(process.cwd(), bundle.zip)}  (metafile ${path.relative(process.cwd(), path.join(bundle.dir, 'meta.json'))})`);
}
