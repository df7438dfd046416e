import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createOrderEventsRuntime } from './order-events.js';

/**
 * Lambda entry point of the events function (DynamoDB Streams event source mapping with
 * ReportBatchItemFailures). The runtime is built once per execution environment.
 */
export const runtime = createOrderEventsRuntime();

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(runtime.logger))
  .handler((event, context) => runtime.handle(event, context));
