import { Inject, Injectable, Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { CLOCK, type Clock } from '../common/clock.js';
import { utcToday } from '../domain/date-range.js';
import { ANALYTICS_STORE, type AnalyticsStore } from '../ports/analytics-store.js';
import { businessSnapshot, snapshotStartDay, type BusinessSnapshot } from './business-metrics.js';

/**
 * The business gauges, computed at scrape time from one read of the daily rollups. Each scrape
 * renders them from a fresh registry: when the store cannot answer, the gauges are absent (not
 * stale, not zero) and `orderops_store_up` is 0.
 */
@Injectable()
export class BusinessMetricsService {
  private readonly logger = new Logger(BusinessMetricsService.name);

  constructor(
    @Inject(ANALYTICS_STORE) private readonly store: AnalyticsStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async snapshot(): Promise<BusinessSnapshot> {
    const today = utcToday(this.clock());
    return businessSnapshot(await this.store.getRollups(snapshotStartDay(today), today), today);
  }

  /** Prometheus text of the business gauges. */
  async render(): Promise<string> {
    const registry = new Registry();
    const storeUp = new Gauge({ name: 'orderops_store_up', help: '1 when the order store answered this scrape, else 0', registers: [registry] });
    let snapshot: BusinessSnapshot;
    try {
      snapshot = await this.snapshot();
    } catch (error) {
      this.logger.warn(`business metrics unavailable: ${error instanceof Error ? error.message : String(error)}`);
      storeUp.set(0);
      return registry.metrics();
    }
    storeUp.set(1);

    const ordersToday = new Gauge({ name: 'orderops_orders', help: 'Orders recorded today (UTC) by current status', labelNames: ['status'], registers: [registry] });
    const ordersRecent = new Gauge({ name: 'orderops_orders_last_7_days', help: 'Orders recorded in the last 7 UTC days (today included) by current status', labelNames: ['status'], registers: [registry] });
    for (const [status, count] of Object.entries(snapshot.ordersToday)) ordersToday.set({ status }, count);
    for (const [status, count] of Object.entries(snapshot.ordersLast7Days)) ordersRecent.set({ status }, count);

    // Cost per order is undefined without orders: the series is absent rather than a made-up 0.
    if (snapshot.costPerOrderDollarsLast7Days !== null) {
      new Gauge({ name: 'orderops_cost_per_order_dollars', help: 'Estimated processing cost per recorded order over the last 7 UTC days, in dollars', registers: [registry] }).set(
        snapshot.costPerOrderDollarsLast7Days,
      );
    }
    const costs = new Gauge({ name: 'orderops_processing_cost_dollars_last_7_days', help: 'Estimated processing cost of the last 7 UTC days by AWS service, in dollars', labelNames: ['service'], registers: [registry] });
    for (const [service, dollars] of Object.entries(snapshot.processingCostDollarsLast7Days)) costs.set({ service }, dollars);

    new Gauge({ name: 'orderops_review_queue_orders', help: 'Orders waiting for review among those recorded in the last 30 UTC days', registers: [registry] }).set(snapshot.reviewQueueOrders);
    return registry.metrics();
  }
}
