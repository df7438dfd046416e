import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrderView } from '@orderops/lambda-order-processor/services/order-query';
import { ListOrdersQuery } from './dto/list-orders.query.js';
import { OrderDetailResponse, OrderPageResponse } from './dto/order.responses.js';
import { OrdersService } from './orders.service.js';

@ApiTags('orders')
@Controller('api/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @ApiOperation({ summary: 'Orders by status and day, newest first, with cursor paging (status=PENDING_REVIEW is the review queue)' })
  @ApiOkResponse({ type: OrderPageResponse })
  @ApiBadRequestResponse({ description: 'Bad status, date, range, limit or cursor.' })
  list(@Query() query: ListOrdersQuery): Promise<OrderPageResponse> {
    return this.orders.list(query);
  }

  @Get(':orderId')
  @ApiOperation({ summary: 'One order with its signals, costs, decision history and reviews' })
  @ApiParam({ name: 'orderId' })
  @ApiOkResponse({ type: OrderDetailResponse })
  @ApiNotFoundResponse({ description: 'No such order.' })
  @ApiBadRequestResponse({ description: 'Not a valid order id.' })
  get(@Param('orderId') orderId: string): Promise<OrderView> {
    return this.orders.get(orderId);
  }
}
