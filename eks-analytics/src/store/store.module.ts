import { Global, Module } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SqliteOrderStore } from '@orderops/lambda-order-processor/sqlite-store';
import { analyticsConfig } from '../config/analytics-config.js';
import { ANALYTICS_STORE } from '../ports/analytics-store.js';

/**
 * The order store the analytics reads: the order processor's own SQLite store on DATA_DIR's file, so
 * both services read and write through one implementation. Opening it creates the schema when the
 * order API has never run. The order API owns WAL checkpoints (it runs them in the background);
 * this connection only reads, so it starts no checkpointer. Closed when the application shuts down.
 */
@Global()
@Module({
  providers: [
    {
      provide: SqliteOrderStore,
      inject: [ConfigService],
      useFactory: (config: ConfigService): SqliteOrderStore => SqliteOrderStore.open({ file: analyticsConfig(config).sqliteFile }),
    },
    { provide: ANALYTICS_STORE, useExisting: SqliteOrderStore },
  ],
  exports: [ANALYTICS_STORE],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(private readonly store: SqliteOrderStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
