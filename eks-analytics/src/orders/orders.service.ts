import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { validateOrderId } from '@orderops/lambda-order-processor/domain/validation/validate';
import { OrderQueryService, type OrderView } from '@orderops/lambda-order-processor/services/order-query';
import { CLOCK, type Clock } from '../common/clock.js';
import { resolveDateRange, DateRangeError, utcToday } from '../domain/date-range.js';
import { ANALYTICS_STORE, type AnalyticsStore } from '../ports/analytics-store.js';
import { DEFAULT_PAGE_SIZE, type ListOrdersQuery } from './dto/list-orders.query.js';
import type { OrderPageResponse } from './dto/order.responses.js';

/** The review queue defaults to the last 30 days. */
const DEFAULT_LIST_DAYS = 30;

@Injectable()
export class OrdersService {
  private readonly view: OrderQueryService;

  constructor(
    @Inject(ANALYTICS_STORE) private readonly store: AnalyticsStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // The drill-down is the order processor's own order view, so both APIs show an order alike.
    this.view = new OrderQueryService(store);
  }

  async list(query: ListOrdersQuery): Promise<OrderPageResponse> {
    const range = this.range(query);
    let page;
    try {
      page = await this.store.listOrders({
        ...(query.status ? { status: query.status } : {}),
        startDay: range.startDate,
        endDay: range.endDate,
        limit: query.limit ?? DEFAULT_PAGE_SIZE,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
    } catch (error) {
      if (error instanceof RangeError) throw new BadRequestException(`cursor is not valid: ${error.message}`);
      throw error;
    }
    return {
      orders: page.orders.map((order) => ({
        orderId: order.orderId,
        customerId: order.customerId,
        status: order.status,
        aiScore: order.score,
        totalAmount: order.totalAmountCents / 100,
        createdAt: order.createdAt,
        day: order.day,
      })),
      nextCursor: page.nextCursor,
      startDate: range.startDate,
      endDate: range.endDate,
      ...(query.status ? { status: query.status } : {}),
    };
  }

  async get(orderId: string): Promise<OrderView> {
    // The order API's own identifier rule, so both services accept exactly the same ids.
    const [invalid] = validateOrderId(orderId);
    if (invalid) throw new BadRequestException(`orderId ${invalid.message}`);
    const view = await this.view.get(orderId);
    if (!view) throw new NotFoundException(`Order ${orderId} not found`);
    return view;
  }

  private range(query: ListOrdersQuery) {
    try {
      return resolveDateRange(query, { today: utcToday(this.clock()), defaultDays: DEFAULT_LIST_DAYS });
    } catch (error) {
      if (error instanceof DateRangeError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
