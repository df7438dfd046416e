import type { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig, type OrderProcessorConfig } from '../config/config.js';
import { PRICE_CATALOG } from '../domain/costs/price-catalog.js';
import type { AiAnalyst } from '../ports/ai-analyst.js';
import type { OrderStore } from '../ports/order-store.js';
import type { Outbox } from '../ports/outbox.js';
import type { EventDelivery } from '../services/event-delivery.js';
import { OrderQueryService } from '../services/order-query.js';
import { OrderReviewService } from '../services/order-review.js';
import { OrderScreener } from '../services/order-screener.js';
import { OrderSubmissionService } from '../services/order-submission.js';
import type { DispatcherOptions, OutboxDispatcher } from '../services/outbox-dispatcher.js';
import { createLogger } from './logging.js';
import { createOrderApi } from './order-api.js';
import type { EmfSink } from './order-metrics.js';

/** How often the WAL is copied back into the database file, off the request thread. */
const BACKGROUND_CHECKPOINT_MS = 100;
/** Retention of the embedded store: velocity beyond the longest window and events delivered a day ago go. */
const PRUNE_INTERVAL_MS = 60_000;
const PRUNE_BATCH_ROWS = 5_000;
const DELIVERED_EVENT_RETENTION_MS = 86_400_000;

export interface OrderProcessorRuntime {
  config: OrderProcessorConfig;
  handler: ReturnType<typeof createOrderApi>;
  store: OrderStore;
  /** The embedded store's transactional outbox; null on DynamoDB, whose events flow from its stream. */
  outbox: Outbox | null;
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

/** How long a velocity entry can still count: the store keeps (and prices) it that long. */
function longestVelocityWindowSeconds(config: OrderProcessorConfig): number {
  return Math.max(...Object.values(config.velocityWindows));
}

/** The store with what the runtime must do besides serving requests: deliver its events, keep it small. */
interface StoreAssembly {
  store: OrderStore;
  outbox: Outbox | null;
  delivery: EventDelivery;
  dispatcher: OutboxDispatcher | null;
  /** Stops background work (pruning); the runtime then flushes delivery and closes the store. */
  stopHousekeeping(): void;
}

/**
 * DynamoDB records no outbox: each order item reaches the events Lambda through the table's stream
 * (locally, the stream poller of `npm run start:dynamodb`), so the order path has nothing to deliver.
 */
const STREAM_DELIVERY: EventDelivery = {
  start: () => undefined,
  kick: () => undefined,
  flush: () => Promise.resolve(0),
  stop: () => Promise.resolve(),
};

/**
 * The composition root: the only place that reads configuration and chooses adapters
 * (SPEC section 1 port table). Services receive their ports by injection. Adapters are imported
 * when configuration selects them, so the Lambda bundle never loads SQLite, the file sinks or an
 * AI client it does not use (esbuild splits each dynamic import into its own chunk).
 */
export async function createRuntime(config: OrderProcessorConfig = loadConfig(), overrides: RuntimeOverrides = {}): Promise<OrderProcessorRuntime> {
  const logger = overrides.logger ?? createLogger(config.serviceName);
  const catalogRegion = PRICE_CATALOG.entries()[0]?.region;
  if (catalogRegion && config.deployment.region !== catalogRegion) {
    logger.warn('prices are from another region than the deployment; costs are estimates', {
      deploymentRegion: config.deployment.region,
      catalogRegion,
    });
  }

  const { store, outbox, delivery, dispatcher, stopHousekeeping } = await assembleStore(config, logger, overrides);
  const submission = new OrderSubmissionService({
    store,
    screener: new OrderScreener(await aiAnalystFor(config), {
      mode: config.aiMode,
      timeoutMs: config.aiTimeoutMs,
      onFallback: (details) => logger.warn('AI analyst gave no usable verdict; the rules decision stands', { ...details }),
    }),
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

  return {
    config,
    handler,
    store,
    outbox,
    delivery,
    dispatcher,
    logger,
    async close(flushTimeoutMs = 10_000) {
      stopHousekeeping();
      const pending = await delivery.flush(flushTimeoutMs).catch(() => -1);
      await delivery.stop();
      if (pending !== 0) logger.warn('order events left in the outbox; they are delivered on the next start', { pending });
      await store.close();
    },
  };
}

async function assembleStore(config: OrderProcessorConfig, logger: Logger, overrides: RuntimeOverrides): Promise<StoreAssembly> {
  switch (config.store) {
    case 'sqlite':
      return assembleSqliteStore(config, logger, overrides);
    case 'dynamodb':
      return assembleDynamoDbStore(config);
  }
}

/** The production store: one DynamoDB table; order events leave through its stream, not from here. */
async function assembleDynamoDbStore(config: OrderProcessorConfig): Promise<StoreAssembly> {
  if (config.ordersTable === null) throw new Error('STORE=dynamodb without ORDERS_TABLE');
  const { DynamoDbOrderStore, dynamoDbClient } = await import('../adapters/dynamodb-store/dynamodb-order-store.js');
  const store = new DynamoDbOrderStore({
    client: dynamoDbClient({ region: config.deployment.region, endpoint: config.dynamodbEndpointUrl }),
    tableName: config.ordersTable,
    rollupShards: config.rollupShards,
    // Velocity entries only count inside the longest window; TTL removes them after it.
    velocityRetentionSeconds: longestVelocityWindowSeconds(config),
  });
  return { store, outbox: null, delivery: STREAM_DELIVERY, dispatcher: null, stopHousekeeping: () => undefined };
}

/** The embedded store: SQLite in WAL mode, its outbox delivered in-process or by a worker thread, pruned in the background. */
async function assembleSqliteStore(config: OrderProcessorConfig, logger: Logger, overrides: RuntimeOverrides): Promise<StoreAssembly> {
  const { SqliteOrderStore } = await import('../adapters/sqlite-store/sqlite-order-store.js');
  const store = SqliteOrderStore.open({
    file: config.sqliteFile,
    backgroundCheckpointMs: BACKGROUND_CHECKPOINT_MS,
    // Priced as the DynamoDB velocity items would be: their TTL is the longest window.
    velocityRetentionSeconds: longestVelocityWindowSeconds(config),
  });
  let dispatcher: OutboxDispatcher | null = null;
  let delivery: EventDelivery;
  if (config.outboxDelivery === 'inline') {
    const [{ OutboxDispatcher }, { eventSinksFor }] = await Promise.all([import('../services/outbox-dispatcher.js'), import('./event-sinks.js')]);
    dispatcher = new OutboxDispatcher(store, eventSinksFor(config), { onError: (message, details) => logger.warn(message, details), ...overrides.dispatcher });
    delivery = dispatcher;
  } else {
    const { OutboxWorkerClient } = await import('./outbox-worker/worker-client.js');
    delivery = new OutboxWorkerClient(config, store, logger);
  }

  const longestWindowMs = 1000 * longestVelocityWindowSeconds(config);
  const pruneTimer = setInterval(() => {
    const now = Date.now();
    store
      .prune({ velocityBefore: new Date(now - longestWindowMs), deliveredBefore: new Date(now - DELIVERED_EVENT_RETENTION_MS), limit: PRUNE_BATCH_ROWS })
      .catch((error: unknown) => logger.warn('pruning the store failed; retrying later', { error: String(error) }));
  }, PRUNE_INTERVAL_MS);
  pruneTimer.unref();
  return { store, outbox: store, delivery, dispatcher, stopHousekeeping: () => clearInterval(pruneTimer) };
}

/** The AI analyst AI_PROVIDER names (null for none: the rules decide alone). */
async function aiAnalystFor(config: OrderProcessorConfig): Promise<AiAnalyst | null> {
  const common = { timeoutMs: config.aiTimeoutMs, thresholds: config.screening.thresholds };
  switch (config.aiProvider) {
    case 'none':
      return null;
    case 'bedrock': {
      const { BedrockConverseAnalyst, bedrockRuntimeClient } = await import('../adapters/bedrock-ai/bedrock-converse-analyst.js');
      return new BedrockConverseAnalyst({
        ...common,
        modelId: config.bedrockModelId,
        client: bedrockRuntimeClient({ region: config.deployment.region, endpoint: config.bedrockEndpointUrl }),
      });
    }
    case 'openai': {
      if (config.openai === null) throw new Error('AI_PROVIDER=openai without OPENAI_BASE_URL/OPENAI_MODEL');
      const { OpenAiChatAnalyst } = await import('../adapters/openai-ai/openai-chat-analyst.js');
      return new OpenAiChatAnalyst({ ...common, ...config.openai });
    }
  }
}
