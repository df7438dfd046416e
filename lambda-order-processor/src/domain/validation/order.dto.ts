import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { CARD_PAYMENT_METHODS, CUSTOMER_TYPES, PAYMENT_METHODS } from '../order/order.js';
import type { CustomerType, PaymentMethod } from '../order/order.js';
import {
  CardLast4,
  DateTimeWithOffset,
  Email,
  ForPaymentMethods,
  Identifier,
  IntegerBetween,
  ItemList,
  Money,
  NestedObject,
  OneOf,
  OptionalField,
  Required,
  Text,
} from './decorators.js';
import { ORDER_HISTORY_MAX, ORDER_HISTORY_MIN, QUANTITY_MAX, QUANTITY_MIN, TEXT_MAX_LENGTH } from './limits.js';
import { TRANSFORM_OPTIONS } from './transform-options.js';

/**
 * The POST /orders body (SPEC section 2). Fields hold the values exactly as sent until validation
 * passes: class-transformer builds the nested DTOs (`@Type` names each class, so no emitted
 * decorator metadata is needed and the esbuild bundle behaves the same) without converting values.
 */

export class AddressDto {
  @Required() @Text(TEXT_MAX_LENGTH.street) street!: string;
  @Required() @Text(TEXT_MAX_LENGTH.city) city!: string;
  @Required() @Text(TEXT_MAX_LENGTH.state) state!: string;
  @Required() @Text(TEXT_MAX_LENGTH.zipCode) zipCode!: string;
  @Required() @Text(TEXT_MAX_LENGTH.country) country!: string;
}

export class OrderItemDto {
  @Required() @Text(TEXT_MAX_LENGTH.productId) productId!: string;
  @Required() @Text(TEXT_MAX_LENGTH.itemName) name!: string;
  @Required() @IntegerBetween(QUANTITY_MIN, QUANTITY_MAX) quantity!: number;
  @Required() @Money() price!: number;
  @OptionalField() @Text(TEXT_MAX_LENGTH.category) category?: string;
}

/** Nested values are `unknown` until validated: an AddressDto / OrderItemDto when sent as objects. */
export class OrderDto {
  @Required() @Identifier() orderId!: string;
  @Required() @Identifier() customerId!: string;
  @Required() @Email() customerEmail!: string;
  @Required() @OneOf(CUSTOMER_TYPES) customerType!: CustomerType;
  @OptionalField() @IntegerBetween(ORDER_HISTORY_MIN, ORDER_HISTORY_MAX) orderHistory?: number;
  /** Object elements become OrderItemDto instances; anything else stays as sent and fails validation. */
  @Required() @ItemList() @Type(() => OrderItemDto) items!: unknown[];
  @Required() @Money() totalAmount!: number;
  @Required() @NestedObject() @Type(() => AddressDto) shippingAddress!: unknown;
  @OptionalField() @NestedObject() @Type(() => AddressDto) billingAddress?: unknown;
  @Required() @OneOf(PAYMENT_METHODS) paymentMethod!: PaymentMethod;
  @ForPaymentMethods(CARD_PAYMENT_METHODS) @CardLast4() cardLast4?: string;
  @ForPaymentMethods(['PURCHASE_ORDER']) @Text(TEXT_MAX_LENGTH.poNumber) poNumber?: string;
  @OptionalField() @DateTimeWithOffset() placedAt?: string;
}

/** Builds the DTO tree. Only for bodies that passed screenJsonStructure (no prototype keys, bounded depth). */
export function toOrderDto(body: Record<string, unknown>): OrderDto {
  return plainToInstance(OrderDto, body, TRANSFORM_OPTIONS);
}
