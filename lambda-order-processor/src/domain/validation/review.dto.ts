import { REVIEW_DECISIONS } from '../order/order.js';
import type { ReviewDecision } from '../order/order.js';
import { OneOf, OptionalField, Required, Text } from './decorators.js';
import { instantiate } from './instantiate.js';
import { TEXT_MAX_LENGTH } from './limits.js';

/** The POST /orders/{orderId}/review body: a human settles a PENDING_REVIEW order. */
export class ReviewDto {
  @Required() @OneOf(REVIEW_DECISIONS) decision!: ReviewDecision;
  @Required() @Text(TEXT_MAX_LENGTH.reviewer) reviewer!: string;
  @OptionalField() @Text(TEXT_MAX_LENGTH.note, { allowLineBreaks: true }) note?: string;
}

/** Call only on a body that passed screenJsonStructure. */
export function toReviewDto(body: Record<string, unknown>): ReviewDto {
  return instantiate(ReviewDto, body);
}
