import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { decodeOrderStreamRecord, type SkipReason } from '../../adapters/dynamodb-streams/order-stream-decoder.js';
import { loadConfig, type OrderProcessorConfig } from '../../config/config.js';
import type { EventSink } from '../../services/order-event-sinks.js';
import { eventSinksFor } from '../event-sinks.js';
import { createLogger } from '../logging.js';

/** The events function: a batch of the order table's stream in, the records to retry out. */
export type OrderEventsFunction = (event: DynamoDBStreamEvent, context?: Context) => Promise<DynamoDBBatchResponse>;

export interface OrderEventsDependencies {
  /** Where every order event goes, in this order (archive first: a notification implies the archived record). */
  sinks: readonly EventSink[];
  logger: Logger;
  /** Told what each batch came to (the same figures are logged). */
  onBatch?: (summary: OrderEventsBatchSummary) => void;
}

export interface OrderEventsBatchSummary {
  records: number;
  /** Order events that reached every sink. */
  delivered: number;
  /** Records that carry no order event, by reason (not failures). */
  skipped: Partial<Record<SkipReason, number>>;
  /** Records reported in batchItemFailures. */
  failed: number;
}

/**
 * The events Lambda (SPEC section 5): each order event of the batch is archived (deterministic key,
 * so a redelivered record overwrites the object with the same document) and notified. Records are
 * processed by Powertools' BatchProcessor: a record that fails (a sink error, an unreadable image)
 * is reported in `batchItemFailures` and the others still count as delivered. Records of different
 * orders are delivered concurrently; an order's records are delivered in stream order, and one whose
 * predecessor failed fails too, so a retry replays that order's events in the order they happened
 * (the event source mapping resumes from the lowest failed sequence number anyway). Records that
 * are not order events are skipped and counted, never failed.
 */
export function createOrderEventsFunction(deps: OrderEventsDependencies): OrderEventsFunction {
  const { sinks, logger } = deps;
  return async (event, context) => {
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    const skipped: Partial<Record<SkipReason, number>> = {};
    let delivered = 0;
    /** The delivery of each order's latest event so far in this batch. */
    const lastOfOrder = new Map<string, Promise<void>>();

    const deliver = async (record: DynamoDBRecord): Promise<void> => {
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      let decoded;
      try {
        decoded = decodeOrderStreamRecord(record);
      } catch (error) {
        logger.error('stream record is not a readable order event', { sequenceNumber, eventName: record.eventName, error: String(error) });
        throw error;
      }
      if (decoded.kind === 'skipped') {
        skipped[decoded.reason] = (skipped[decoded.reason] ?? 0) + 1;
        return;
      }
      const orderEvent = decoded.event;
      const previous = lastOfOrder.get(orderEvent.orderId);
      const delivery = (async () => {
        if (previous !== undefined) {
          await previous.catch(() => {
            throw new Error(`an earlier event of order ${orderEvent.orderId} in this batch was not delivered`);
          });
        }
        for (const sink of sinks) await sink.deliver(orderEvent);
      })();
      lastOfOrder.set(orderEvent.orderId, delivery);
      try {
        await delivery;
        delivered += 1;
      } catch (error) {
        logger.error('order event not delivered; the record will be retried', {
          orderId: orderEvent.orderId,
          eventId: orderEvent.eventId,
          sequenceNumber,
          error: String(error),
        });
        throw error;
      }
    };

    // A wholly failed batch is answered like a partial one: every record listed, retried from the first.
    const response = (await processPartialResponse(event, deliver, processor, {
      ...(context === undefined ? {} : { context }),
      throwOnFullBatchFailure: false,
    })) as DynamoDBBatchResponse;
    const summary: OrderEventsBatchSummary = { records: event.Records.length, delivered, skipped, failed: response.batchItemFailures.length };
    logger.info('order events batch processed', { ...summary });
    deps.onBatch?.(summary);
    return response;
  };
}

export interface OrderEventsRuntime {
  config: OrderProcessorConfig;
  logger: Logger;
  handle: OrderEventsFunction;
}

/**
 * The events Lambda's own composition root (kept out of the order API's, which opens a store, so
 * this function bundles alone): the sinks ARCHIVE/NOTIFIER choose (S3 and SNS in AWS; files locally),
 * chosen by the same code the order API's outbox uses.
 */
export function createOrderEventsRuntime(
  config: OrderProcessorConfig = loadConfig(),
  overrides: Partial<Pick<OrderEventsDependencies, 'logger' | 'onBatch'>> = {},
): OrderEventsRuntime {
  const logger = overrides.logger ?? createLogger(config.serviceName);
  const handle = createOrderEventsFunction({ sinks: eventSinksFor(config), logger, ...(overrides.onBatch ? { onBatch: overrides.onBatch } : {}) });
  return { config, logger, handle };
}
