import { Logger } from '@aws-lambda-powertools/logger';
import { SqliteOrderStore } from '../adapters/sqlite-store/sqlite-order-store.js';
import { loadConfig, type OrderProcessorConfig } from '../config/config.js';
import { PRICE_CATALOG } from '../domain/costs/price-catalog.js';
import type { EventDelivery } from '../services/event-delivery.js';
import { OrderQueryService } from '../services/order-query.js';
import { OrderReviewService } from '../services/order-review.js';
import { OrderScreener } from '../services/order-screener.js';
import { OrderSubmissionService } from '../services/order-submission.js';
import { OutboxDispatcher, type DispatcherOptions } from '../services/outbox-dispatcher.js';
import { eventSinksFor } from './event-sinks.js';
import { createOrderApi } from './order-api.js';
import type { EmfSink } from './order-metrics.js';
import { OutboxWorkerClient } from './outbox-worker/worker-client.js';

/** How often the WAL is copied back into the database file, off the request thread. */
const BACKGROUND_CHECKPOINT_MS = 100;
/** Retention of the embedded store: velocity beyond the longest window and events delivered a day ago go. */
const PRUNE_INTERVAL_MS = 60_000;
const PRUNE_BATCH_ROWS = 5_000;
const DELIVERED_EVENT_RETENTION_MS = 86_400_000;

export interface OrderProcessorRuntime {
  config: OrderProcessorConfig;
  handler: ReturnType<typeof createOrderApi>;
  store: SqliteOrderStore;
  /** Delivers recorded events to the archive and notifiers (in-process or in a worker thread). */
  delivery: EventDelivery;
  /** The in-process dispatcher when OUTBOX_DELIVERY=inline, else null. */
  dispatcher: OutboxDispatcher | null;
  logger: Logger;
  /** Delivers what is due (bounded by the timeout), stops delivery and closes the store. */
  close(flushTimeoutMs?: number): Promise<void>;
}

export interface RuntimeOverrides {
  logger?: Logger;
  /** The wall clock orders are stamped with (their rollup day); the system clock by default. */
  now?: () => Date;
  /** Receives each request's EMF metrics document instead of standard output (tests). */
  metricsSink?: EmfSink;
  dispatcher?: Partial<DispatcherOptions>;
}

/**
 * The composition root: the only place that reads configuration and chooses adapters
 * (SPEC section 1 port table, local column). Services receive their ports by injection.
 */
export function createRuntime(config: OrderProcessorConfig = loadConfig(), overrides: RuntimeOverrides = {}): OrderProcessorRuntime {
  const logger = overrides.logger ?? new Logger({ serviceName: config.serviceName });
  const catalogRegion = PRICE_CATALOG.entries()[0]?.region;
  if (catalogRegion && config.deployment.region !== catalogRegion) {
    logger.warn('prices are from another region than the deployment; costs are estimates', {
      deploymentRegion: config.deployment.region,
      catalogRegion,
    });
  }

  const store = SqliteOrderStore.open({ file: config.sqliteFile, backgroundCheckpointMs: BACKGROUND_CHECKPOINT_MS });
  const dispatcher =
    config.outboxDelivery === 'inline'
      ? new OutboxDispatcher(store, eventSinksFor(config), { onError: (message, details) => logger.warn(message, details), ...overrides.dispatcher })
      : null;
  const delivery: EventDelivery = dispatcher ?? new OutboxWorkerClient(config, store, logger);

  const submission = new OrderSubmissionService({
    store,
    screener: new OrderScreener(),
    settings: config.screening,
    velocityWindows: config.velocityWindows,
    deployment: config.deployment,
  });
  const handler = createOrderApi({
    submission,
    review: new OrderReviewService({ store, deployment: config.deployment }),
    query: new OrderQueryService(store),
    store,
    logger,
    onRecorded: () => delivery.kick(),
    serviceName: config.serviceName,
    ...(overrides.metricsSink ? { metricsSink: overrides.metricsSink } : {}),
    ...(overrides.now ? { now: overrides.now } : {}),
  });

  const longestWindowMs = 1000 * Math.max(...Object.values(config.velocityWindows));
  const pruneTimer = setInterval(() => {
    const now = Date.now();
    store
      .prune({ velocityBefore: new Date(now - longestWindowMs), deliveredBefore: new Date(now - DELIVERED_EVENT_RETENTION_MS), limit: PRUNE_BATCH_ROWS })
      .catch((error: unknown) => logger.warn('pruning the store failed; retrying later', { error: String(error) }));
  }, PRUNE_INTERVAL_MS);
  pruneTimer.unref();

  return {
    config,
    handler,
    store,
    delivery,
    dispatcher,
    logger,
    async close(flushTimeoutMs = 10_000) {
      clearInterval(pruneTimer);
      const pending = await delivery.flush(flushTimeoutMs).catch(() => -1);
      await delivery.stop();
      if (pending !== 0) logger.warn('order events left in the outbox; they are delivered on the next start', { pending });
      await store.close();
    },
  };
}
