/**
 * A Lambda cold start in this process: imports a Lambda entry module (a bundle's index.mjs, or the
 * unbundled dist/handler/index.js), takes its `handler`, then invokes it with each given event in
 * turn, the way the Node.js runtime does. Run it in a fresh `node` with the function's environment
 * variables; used by the bundle test (test/bundle) and the bench (bench/lambda-bundles.mjs).
 *
 *   node scripts/invoke-bundle.mjs <entry module> --result <out.json> [--events <events.json>]
 *
 * events.json is an array of Lambda events. out.json receives:
 *   readyMs    process start to handler ready (Node start-up, module load and initialisation)
 *   cpuMs      CPU time (user + system, all threads) the process had used by then: on a busy machine
 *              less inflated by waiting for a core than readyMs
 *   importMs   the import() of the entry module alone
 *   loaded     every module URL resolved while loading the entry module (ESM imports and require)
 *   results    each invocation's answer, or { error } if it threw
 * or, when the import fails (the function's initialisation error), { initError: stack } and exit code 1.
 * (The error is written to the file: Node's own report of an uncaught error quotes the source line,
 * a megabyte of minified code, which a pipe may truncate at exit.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const loaded = [];
const hooks = registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    loaded.push(resolved.url);
    return resolved;
  },
});

function argument(name) {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

const entry = process.argv[2];
const resultFile = argument('--result');
const eventsFile = argument('--events');
if (entry === undefined || entry.startsWith('--') || resultFile === undefined) {
  throw new Error('usage: invoke-bundle.mjs <entry module> --result <out.json> [--events <events.json>]');
}

const importStart = performance.now();
let handler;
try {
  ({ handler } = await import(pathToFileURL(path.resolve(entry)).href));
  if (typeof handler !== 'function') throw new Error(`${entry} exports no handler function`);
} catch (error) {
  writeFileSync(resultFile, JSON.stringify({ initError: String(error?.stack ?? error) }));
  process.exit(1);
}
const readyMs = performance.now();
const cpu = process.cpuUsage();
const cpuMs = (cpu.user + cpu.system) / 1000;
const importMs = readyMs - importStart;
hooks.deregister();

const events = eventsFile === undefined ? [] : JSON.parse(readFileSync(eventsFile, 'utf8'));
const results = [];
if (events.length > 0) {
  // Loaded after the measurement and the module list: only the local Lambda context builder.
  const { localLambdaContext } = await import('../dist/local/api-gateway-event.js');
  for (const [i, event] of events.entries()) {
    try {
      results.push(await handler(event, localLambdaContext(`invocation-${i + 1}`, 512)));
    } catch (error) {
      results.push({ error: String(error?.stack ?? error) });
    }
  }
}

writeFileSync(resultFile, JSON.stringify({ readyMs, cpuMs, importMs, loaded, results }));
// Like the runtime after the last invocation: do not wait for SDK keep-alive sockets or timers.
process.exit(0);
