import { Logger } from '@aws-lambda-powertools/logger';
import { FileNotifier } from '../adapters/file-notifier/file-notifier.js';
import { FsArchive } from '../adapters/fs-archive/fs-archive.js';
import { SqliteOrderStore } from '../adapters/sqlite-store/sqlite-order-store.js';
import { WebhookNotifier } from '../adapters/webhook-notifier/webhook-notifier.js';
import { loadConfig, type OrderProcessorConfig } from '../config/config.js';
import { PRICE_CATALOG } from '../domain/costs/price-catalog.js';
import { archiveSink, notifierSink, type EventSink } from '../services/order-event-sinks.js';
import { OrderQueryService } from '../services/order-query.js';
import { OrderReviewService } from '../services/order-review.js';
import { OrderScreener } from '../services/order-screener.js';
import { OrderSubmissionService } from '../services/order-submission.js';
import { OutboxDispatcher, type DispatcherOptions } from '../services/outbox-dispatcher.js';
import { createOrderApi } from './order-api.js';

export interface OrderProcessorRuntime {
  config: OrderProcessorConfig;
  handler: ReturnType<typeof createOrderApi>;
  store: SqliteOrderStore;
  dispatcher: OutboxDispatcher;
  logger: Logger;
  /** Stops the dispatcher after a last flush and closes the store. */
  close(flushTimeoutMs?: number): Promise<void>;
}

export interface RuntimeOverrides {
  logger?: Logger;
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

  const store = SqliteOrderStore.open({ file: config.sqliteFile, backgroundCheckpointMs: 100 });
  const sinks: EventSink[] = [
    archiveSink(new FsArchive(config.archiveDir)),
    notifierSink('notify', new FileNotifier(config.notificationsFile)),
  ];
  if (config.notifyWebhookUrl) sinks.push(notifierSink('webhook', new WebhookNotifier(config.notifyWebhookUrl)));
  const dispatcher = new OutboxDispatcher(store, sinks, {
    onError: (message, details) => logger.warn(message, details),
    ...overrides.dispatcher,
  });

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
    onRecorded: () => dispatcher.kick(),
  });

  return {
    config,
    handler,
    store,
    dispatcher,
    logger,
    async close(flushTimeoutMs = 10_000) {
      const pending = await dispatcher.flush(flushTimeoutMs).catch(() => -1);
      await dispatcher.stop();
      if (pending !== 0) logger.warn('order events left in the outbox; they are delivered on the next start', { pending });
      await store.close();
    },
  };
}
