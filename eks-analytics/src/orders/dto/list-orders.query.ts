import { ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderStatus } from '@orderops/lambda-order-processor/domain/order/order';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DATE_PATTERN, DATE_MESSAGE } from '../../common/date-query.js';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** GET /api/orders: the review queue (status=PENDING_REVIEW) or any orders by status and day. */
export class ListOrdersQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES, description: 'Only orders with this status (PENDING_REVIEW is the review queue).' })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'First UTC day (inclusive). Default: 29 days before endDate.' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: `startDate ${DATE_MESSAGE}` })
  startDate?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last UTC day (inclusive). Default: today.' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: `endDate ${DATE_MESSAGE}` })
  endDate?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
