import { ConfigService } from '@nestjs/config';
import { Logger } from 'nestjs-pino';
import type { AddressInfo } from 'node:net';
import { createAnalyticsApp, listeningUrl } from './app.factory.js';
import { analyticsConfig } from './config/analytics-config.js';

/**
 * `node dist/main.js`: the analytics API on ANALYTICS_HOST:ANALYTICS_PORT (default 127.0.0.1:8080)
 * over the order store in DATA_DIR. SIGTERM/SIGINT close it gracefully (shutdown hooks: the server
 * stops accepting connections, in-flight requests finish, the store is closed).
 */
try {
  const app = await createAnalyticsApp();
  app.enableShutdownHooks();
  const config = analyticsConfig(app.get(ConfigService));
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  // One line with the URL: scripts/start.mjs and the tests read it (ANALYTICS_PORT=0 picks a free port).
  app.get(Logger).log({ url: listeningUrl(config.host, port), dataDir: config.dataDir, costSource: config.costSource }, 'analytics listening', 'Bootstrap');
} catch (error) {
  // Configuration errors happen before the logger exists: one JSON line on stderr (synchronous on pipes), then exit 1.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), name: 'eks-analytics', msg: 'analytics failed to start', error: message })}\n`);
  // Exit even if something started before the failure (e.g. the port was taken after the store opened).
  process.exit(1);
}
