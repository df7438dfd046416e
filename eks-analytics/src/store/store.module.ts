import { Global, Inject, Module } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { analyticsConfig } from '../config/analytics-config.js';
import type { AnalyticsConfig } from '../config/analytics-config.js';
import { ANALYTICS_STORE } from '../ports/analytics-store.js';
import type { AnalyticsStore } from '../ports/analytics-store.js';
import { StoreUnavailableFilter } from './store-unavailable.filter.js';

/** The store the analytics reads, with the way to release it on shutdown. */
export type ClosableAnalyticsStore = AnalyticsStore & { close(): Promise<void> };

/**
 * Opens the order store configuration selects, read-only use of the order processor's own
 * implementation so both services read and write through one adapter. Each engine is imported only
 * when chosen (the analytics on DynamoDB never loads SQLite's native module, and the reverse).
 *
 * - sqlite: DATA_DIR's file; opening it creates the schema when the order API has never run. The
 *   order API owns WAL checkpoints (it runs them in the background); this connection only reads.
 * - dynamodb: the table the order API writes (ORDERS_TABLE, DYNAMODB_ENDPOINT, ROLLUP_SHARDS), with
 *   the order processor's client settings (SDK retries, request timeout); credentials come from the
 *   SDK's default chain (IRSA on EKS). The analytics never creates the table.
 */
export async function openAnalyticsStore(config: AnalyticsConfig): Promise<ClosableAnalyticsStore> {
  switch (config.store) {
    case 'sqlite': {
      const { SqliteOrderStore } = await import('@orderops/lambda-order-processor/sqlite-store');
      return SqliteOrderStore.open({ file: config.sqliteFile });
    }
    case 'dynamodb': {
      if (config.dynamodb === null) throw new Error('STORE=dynamodb without its table settings');
      const { tableName, endpoint, rollupShards, region } = config.dynamodb;
      const { DynamoDbOrderStore, dynamoDbClient } = await import('@orderops/lambda-order-processor/dynamodb-store');
      return new DynamoDbOrderStore({ client: dynamoDbClient({ region, endpoint }), tableName, rollupShards });
    }
  }
}

/** Closed when the application shuts down; a store that does not answer makes any route a 503 (StoreUnavailableFilter). */
@Global()
@Module({
  providers: [
    {
      provide: ANALYTICS_STORE,
      inject: [ConfigService],
      useFactory: (config: ConfigService): Promise<ClosableAnalyticsStore> => openAnalyticsStore(analyticsConfig(config)),
    },
    { provide: APP_FILTER, useClass: StoreUnavailableFilter },
  ],
  exports: [ANALYTICS_STORE],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(ANALYTICS_STORE) private readonly store: ClosableAnalyticsStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
