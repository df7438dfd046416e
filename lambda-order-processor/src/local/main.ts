import { coalesceWritesPerTurn } from './coalesced-writes.js';
import { startLocalServer } from './local-server.js';

/**
 * `npm start`: the order API on ORDER_API_PORT (default 3000) with data under DATA_DIR.
 * SIGTERM/SIGINT stop it gracefully: no new connections, in-flight requests finish, the outbox is flushed.
 */
// The local server delivers events from a worker thread, keeping file I/O off the request thread.
process.env.OUTBOX_DELIVERY ??= 'worker';
coalesceWritesPerTurn(process.stdout);
const { runtime, handler } = await import('../handler/index.js');

const port = Number(process.env.ORDER_API_PORT ?? 3000);
const host = process.env.ORDER_API_HOST ?? '127.0.0.1';
const { config } = runtime;
// Lifecycle lines get their own child logger: the request logger carries the last request's Lambda context.
const logger = runtime.logger.createChild();

const server = await startLocalServer({
  handler,
  port,
  host,
  lambdaMemoryMb: config.deployment.lambdaMemoryMb,
  onError: (error) => logger.error('local gateway error', { error: String(error) }),
});
logger.info('order API listening', { url: server.url, dataDir: config.dataDir });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  await server.close();
  await runtime.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
