import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderStatus } from '@orderops/lambda-order-processor/domain/order/order';

export class OrderSummaryResponse {
  @ApiProperty() orderId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ description: 'Fraud score 0-10, higher is safer.' }) aiScore!: number;
  @ApiProperty({ description: 'Order value in dollars.' }) totalAmount!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ description: 'UTC day the order was recorded.' }) day!: string;
}

export class OrderPageResponse {
  @ApiProperty({ type: [OrderSummaryResponse] }) orders!: OrderSummaryResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor to get the next page; null on the last page.' })
  nextCursor!: string | null;
  @ApiProperty() startDate!: string;
  @ApiProperty() endDate!: string;
  @ApiPropertyOptional({ enum: ORDER_STATUSES }) status?: OrderStatus;
}

export class OrderDetailResponse {
  @ApiProperty() orderId!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty() aiScore!: number;
  @ApiProperty() customerId!: string;
  @ApiProperty() totalAmount!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: [String] }) rejectionReasons!: string[];
  @ApiProperty({ description: 'Signals with code, points and reason.', type: 'array', items: { type: 'object' } }) riskSignals!: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'engine, aiProvider, model, fallback.' }) screening!: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What processing the order has cost so far, per service, in dollars.' }) costMetrics!: unknown;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Decision history: screening, then reviews.' }) decisions!: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Review audit records.' }) reviews!: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The order as submitted.' }) order!: unknown;
}
