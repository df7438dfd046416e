import { REVIEW_DECISIONS } from '../order/order.js';
import type { ReviewDecision } from '../order/order.js';
import { OneOf, OptionalField, Required, Text } from './decorators.js';
import { plainToInstance } from 'class-transformer';
import { TEXT_MAX_LENGTH } from './limits.js';
import { TRANSFORM_OPTIONS } from './transform-options.js';

/** The POST /orders/{orderId}/review body: a human settles a PENDING_REVIEW order. */
export class ReviewDto {
  @Required() @OneOf(REVIEW_DECISIONS) decision!: ReviewDecision;
  @Required() @Text(TEXT_MAX_LENGTH.reviewer) reviewer!: string;
  @OptionalField() @Text(TEXT_MAX_LENGTH.note, { allowLineBreaks: true }) note?: string;
}

/** Call only on a body that passed screenJsonStructure. */
export function toReviewDto(body: Record<string, unknown>): ReviewDto {
  return plainToInstance(ReviewDto, body, TRANSFORM_OPTIONS);
}
