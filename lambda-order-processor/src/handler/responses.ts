import type { APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FieldError } from '../domain/validation/validate.js';

export type HttpResult = APIGatewayProxyStructuredResultV2;

const JSON_HEADERS = { 'Content-Type': 'application/json' };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** The 400 body of SPEC section 2: machine-readable errors, and the same messages as rejection reasons. */
export function validationError(errors: readonly FieldError[], message = 'Order validation failed'): HttpResult {
  return json(400, {
    status: 'VALIDATION_ERROR',
    message,
    errors,
    rejectionReasons: errors.map((error) => `${error.field}: ${error.message}`),
  });
}

export function problem(statusCode: number, status: string, message: string, headers: Record<string, string> = {}): HttpResult {
  return json(statusCode, { status, message }, headers);
}

export type { APIGatewayProxyResultV2 };
