import { getMetadataStorage, IS_DEFINED, validateSync } from 'class-validator';
import type { ValidatorOptions } from 'class-validator';
import { dollarsToCents } from '../order/order.js';
import type { Address, OrderItem, OrderRequest, ReviewDecision } from '../order/order.js';
import { BODY_FIELD, indexPath, propertyPath } from './field-error.js';
import type { FieldError } from './field-error.js';
import { PLACED_AT_MAX_FUTURE_MS, QUANTITY_MAX, QUANTITY_MIN } from './limits.js';
import { AddressDto, OrderItemDto, toOrderDto } from './order.dto.js';
import type { OrderDto } from './order.dto.js';
import { toReviewDto } from './review.dto.js';
import {
  identifierProblem,
  integerProblem,
  isPlainObject,
  itemListProblem,
  moneyProblem,
  parseIsoDateTimeWithOffset,
} from './rules.js';
import { screenJsonStructure } from './structure.js';

export type { FieldError } from './field-error.js';

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface ReviewRequest {
  decision: ReviewDecision;
  reviewer: string;
  note?: string;
}

/**
 * Unknown fields are found in the body as sent, against declaredFields: class-validator's
 * `whitelist` looks names up in a plain object (so "hasOwnProperty" passes as declared), and
 * class-transformer drops keys named like Object.prototype members before validation sees them.
 * Errors carry no copy of the input.
 */
const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: false,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

const UNKNOWN_FIELD_MESSAGE = 'is not an allowed field';

const declaredFieldsByDto = new Map<unknown, ReadonlySet<string>>();

/** The properties a DTO class declares with decorators, read once from class-validator's metadata. */
function declaredFields(dto: object): ReadonlySet<string> {
  let fields = declaredFieldsByDto.get(dto.constructor);
  if (fields === undefined) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(dto.constructor, '', true, false);
    fields = new Set(metadata.map((entry) => entry.propertyName));
    declaredFieldsByDto.set(dto.constructor, fields);
  }
  return fields;
}

/** Errors in a stable order: every known-field problem first, then every unknown field. */
class ErrorList {
  readonly fieldErrors: FieldError[] = [];
  readonly unknownFields: FieldError[] = [];

  add(field: string, message: string): void {
    this.fieldErrors.push({ field, message });
  }

  /**
   * Runs the DTO's decorators and refuses fields of `sent` (the object as the client sent it) that
   * the DTO does not declare; `path` prefixes the reported field names.
   */
  validateDto(dto: object, sent: object, path: string): void {
    const declared = declaredFields(dto);
    for (const key of Object.keys(sent)) {
      if (!declared.has(key)) this.unknownFields.push({ field: propertyPath(path, key), message: UNKNOWN_FIELD_MESSAGE });
    }
    for (const error of validateSync(dto, VALIDATOR_OPTIONS)) {
      const field = propertyPath(path, error.property);
      const constraints = error.constraints ?? {};
      // A missing field fails every rule; "is required" is the only useful message then.
      const required = constraints[IS_DEFINED];
      const messages = required !== undefined ? [required] : [...new Set(Object.values(constraints))];
      for (const message of messages) this.add(field, message);
    }
  }

  all(): FieldError[] {
    return [...this.fieldErrors, ...this.unknownFields];
  }
}

function invalid<T>(errors: FieldError[]): ValidationResult<T> {
  return { ok: false, errors };
}

/** Object shape and the prototype-pollution / nesting screen, shared by every body. */
function screenBody(body: unknown): FieldError[] {
  if (!isPlainObject(body)) return [{ field: BODY_FIELD, message: 'must be a JSON object' }];
  return screenJsonStructure(body);
}

function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** totalAmount must equal the sum of quantity x price to the cent; checked only once those fields are valid. */
function checkTotalMatchesItems(order: OrderDto, errors: ErrorList): void {
  if (moneyProblem(order.totalAmount) !== null || itemListProblem(order.items) !== null) return;
  let sumCents = 0;
  for (const item of order.items) {
    const valid =
      item instanceof OrderItemDto &&
      integerProblem(item.quantity, QUANTITY_MIN, QUANTITY_MAX) === null &&
      moneyProblem(item.price) === null;
    if (!valid) return;
    sumCents += item.quantity * dollarsToCents(item.price);
  }
  if (dollarsToCents(order.totalAmount) !== sumCents) {
    errors.add('totalAmount', `must equal the sum of quantity x price (${formatCents(sumCents)})`);
  }
}

function checkPlacedAtNotInFuture(order: OrderDto, now: Date, errors: ErrorList): void {
  if (typeof order.placedAt !== 'string') return;
  const placedAt = parseIsoDateTimeWithOffset(order.placedAt);
  if (placedAt !== null && placedAt > now.getTime() + PLACED_AT_MAX_FUTURE_MS) {
    errors.add('placedAt', `must not be more than ${PLACED_AT_MAX_FUTURE_MS / 60_000} minutes in the future`);
  }
}

/** Amounts are whole cents once validated; rounding drops float noise such as 19.990000000000002. */
function roundToCents(amount: number): number {
  return dollarsToCents(amount) / 100;
}

/** The domain part of an address is case-insensitive; the local part is kept as sent. */
function normaliseEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  return trimmed.slice(0, at) + trimmed.slice(at).toLowerCase();
}

function toAddress(address: AddressDto): Address {
  return {
    street: address.street.trim(),
    city: address.city.trim(),
    state: address.state.trim(),
    zipCode: address.zipCode.trim(),
    country: address.country.trim(),
  };
}

function toOrderItem(item: OrderItemDto): OrderItem {
  return {
    productId: item.productId.trim(),
    name: item.name.trim(),
    quantity: item.quantity,
    price: roundToCents(item.price),
    ...(item.category !== undefined && { category: item.category.trim() }),
  };
}

/** A fresh plain object holding only known fields, in a fixed key order. Call only on a valid DTO tree. */
function toOrderRequest(order: OrderDto): OrderRequest {
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    customerEmail: normaliseEmail(order.customerEmail),
    customerType: order.customerType,
    ...(order.orderHistory !== undefined && { orderHistory: order.orderHistory }),
    items: (order.items as OrderItemDto[]).map(toOrderItem),
    totalAmount: roundToCents(order.totalAmount),
    shippingAddress: toAddress(order.shippingAddress as AddressDto),
    ...(order.billingAddress !== undefined && { billingAddress: toAddress(order.billingAddress as AddressDto) }),
    paymentMethod: order.paymentMethod,
    ...(order.cardLast4 !== undefined && { cardLast4: order.cardLast4 }),
    ...(order.poNumber !== undefined && { poNumber: order.poNumber.trim() }),
    ...(order.placedAt !== undefined && { placedAt: order.placedAt }),
  };
}

/**
 * Validates a parsed POST /orders body against SPEC section 2. Reports every problem found, with
 * field paths such as `items[0].quantity`. `now` is the server's receive time (placedAt may be at
 * most 5 minutes ahead of it).
 */
export function validateOrderBody(body: unknown, now: Date): ValidationResult<OrderRequest> {
  const screened = screenBody(body);
  if (screened.length > 0 || !isPlainObject(body)) return invalid(screened);

  const order = toOrderDto(body);
  const errors = new ErrorList();
  errors.validateDto(order, body, '');
  // Item problems are only worth listing when the list itself has an acceptable size.
  if (itemListProblem(order.items) === null && Array.isArray(body.items)) {
    const sentItems: unknown[] = body.items;
    order.items.forEach((item, index) => {
      const path = indexPath('items', index);
      const sent = sentItems[index];
      if (item instanceof OrderItemDto && isPlainObject(sent)) errors.validateDto(item, sent, path);
      else errors.add(path, 'must be an object');
    });
  }
  // An address that is not an object was already reported by its NestedObject rule.
  for (const field of ['shippingAddress', 'billingAddress'] as const) {
    const address = order[field];
    const sent = body[field];
    if (address instanceof AddressDto && isPlainObject(sent)) errors.validateDto(address, sent, field);
  }
  checkTotalMatchesItems(order, errors);
  checkPlacedAtNotInFuture(order, now, errors);

  const found = errors.all();
  return found.length > 0 ? invalid(found) : { ok: true, value: toOrderRequest(order) };
}

/** Validates a parsed POST /orders/{orderId}/review body. */
export function validateReviewBody(body: unknown): ValidationResult<ReviewRequest> {
  const screened = screenBody(body);
  if (screened.length > 0 || !isPlainObject(body)) return invalid(screened);

  const review = toReviewDto(body);
  const errors = new ErrorList();
  errors.validateDto(review, body, '');
  const found = errors.all();
  if (found.length > 0) return invalid(found);
  return {
    ok: true,
    value: {
      decision: review.decision,
      reviewer: review.reviewer.trim(),
      ...(review.note !== undefined && { note: review.note.trim() }),
    },
  };
}

/** The {orderId} path parameter: the same rule as the body's orderId. */
export function validateOrderId(id: string): FieldError[] {
  const problem = identifierProblem(id);
  return problem === null ? [] : [{ field: 'orderId', message: problem }];
}
