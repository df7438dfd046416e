import { Catch, HttpStatus } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { StoreUnavailableError } from '@orderops/lambda-order-processor/ports/order-store';

/** The part of Express's response this filter uses. */
interface JsonResponse {
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): JsonResponse;
  json(body: unknown): unknown;
}

/** Seconds a client is asked to wait when the order store does not answer (DynamoDB throttling, an outage). */
export const STORE_RETRY_AFTER_SECONDS = 1;

/**
 * The order store could not answer (unreachable, throttled, 5xx): 503 with Retry-After, in Nest's
 * error shape, instead of a 500. The cause is not exposed.
 */
@Catch(StoreUnavailableError)
export class StoreUnavailableFilter implements ExceptionFilter<StoreUnavailableError> {
  catch(_error: StoreUnavailableError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    response
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS))
      .json({ statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: 'the order store is unavailable; retry shortly' });
  }
}
