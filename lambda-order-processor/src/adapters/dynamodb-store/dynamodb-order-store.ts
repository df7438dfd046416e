import { DescribeTableCommand, DynamoDBClient, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { itemSizeBytes, readUnitsFor } from '../../domain/costs/dynamodb-units.js';
import type { RequestUnits } from '../../domain/costs/usage.js';
import { backoffMs } from '../../domain/retry/backoff.js';
import type { CustomerProfile, CustomerProfileDelta } from '../../domain/order/customer.js';
import type { OrderStatus, ReviewRecord, StoredOrder } from '../../domain/order/order.js';
import { ISO_DAY_PATTERN, assertPageLimit, listStartAfter, pageOf } from '../../domain/order/list-cursor.js';
import { ROLLUP_COUNTERS, emptyRollupCounters } from '../../domain/order/rollup.js';
import type { DailyRollup, RollupDelta } from '../../domain/order/rollup.js';
import type { VelocityQuery, VelocitySnapshot } from '../../domain/order/velocity.js';
import { StoreUnavailableError } from '../../ports/order-store.js';
import type {
  ApplyReviewInput,
  ApplyReviewResult,
  ListOrdersQuery,
  Metered,
  OrderPage,
  OrderStore,
  OrderSummary,
  PlannedWrite,
  RecordOrderInput,
  RecordOrderResult,
} from '../../ports/order-store.js';
import {
  DAY_INDEX,
  DAY_INDEX_PARTITION_KEY,
  DAY_INDEX_SORT_KEY,
  DAY_PREFIX,
  DEFAULT_ROLLUP_SHARDS,
  ENTITIES,
  ENTITY_ATTRIBUTE,
  MAX_ROLLUP_SHARDS,
  PARTITION_KEY,
  REVIEW_PREFIX,
  SORT_KEY,
  STATUS_INDEX,
  STATUS_INDEX_PARTITION_KEY,
  STATUS_INDEX_SORT_KEY,
  STATUS_PREFIX,
  orderKey,
  orderListSortKey,
  profileKey,
  rollupPartitionKey,
  rollupShardKey,
  velocityPartitionKey,
  type VelocityKind,
} from './table-design.js';
import {
  CUSTOMER_COUNTERS,
  DEFAULT_VELOCITY_RETENTION_SECONDS,
  isoTime,
  orderItem,
  reviewItem,
  summaryOf,
  velocityItems,
  withoutKeys,
} from './items.js';
import { estimateWriteUnits } from './write-units.js';

export interface DynamoDbClientOptions {
  region: string;
  /** Endpoint override (DYNAMODB_ENDPOINT: DynamoDB Local, a VPC endpoint), else the regional endpoint. */
  endpoint?: string | null;
  /** Static credentials (tests, DynamoDB Local); the default provider chain otherwise. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** SDK attempts per request: its standard strategy retries throttling and 5xx with jittered backoff. */
const SDK_MAX_ATTEMPTS = 3;
/** DynamoDB answers in milliseconds; a request still open after this is abandoned (and retried). */
const REQUEST_TIMEOUT_MS = 2_000;
const CONNECTION_TIMEOUT_MS = 1_000;

/**
 * The DynamoDB client for the order store: three SDK attempts, and a request that hangs fails
 * (throwOnRequestTimeout) instead of holding the Lambda until its own timeout.
 */
export function dynamoDbClient(options: DynamoDbClientOptions): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region,
    maxAttempts: SDK_MAX_ATTEMPTS,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

export interface TransactionRetryOptions {
  /** Attempts of one transaction cancelled by a conflict or throttling before answering unavailable. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface DynamoDbOrderStoreOptions {
  /** The low-level client (region, endpoint, credentials, SDK retries are the caller's choice); close() destroys it. */
  client: DynamoDBClient;
  tableName: string;
  /** Items each day's rollup is spread over (default 10). Readers sum every shard, so it can grow, never shrink. */
  rollupShards?: number;
  /**
   * How long velocity entries live (TTL). Must cover the longest velocity window: an entry is only
   * ever counted while `at >= now - window`. Default 7 days. TTL deletion is lazy (up to days
   * late); the queries bound time with their key condition, so a late deletion never over-counts.
   */
  velocityRetentionSeconds?: number;
  retry?: Partial<TransactionRetryOptions>;
}

const DEFAULT_RETRY: TransactionRetryOptions = { maxAttempts: 8, baseDelayMs: 10, maxDelayMs: 1_000 };
/** Re-aims of the profile update after it found first/last order times other than assumed. */
const MAX_PROFILE_REAIMS = 5;
/** Longest rollup range one call reads (ten years of days). */
const MAX_ROLLUP_DAYS = 3_660;
const ROLLUP_READ_CONCURRENCY = 8;

/** Item positions inside the recordOrder transaction. */
const RECORD_ORDER_ITEM = 0;
const RECORD_PROFILE_ITEM = 2;
/** Item positions inside the applyReview transaction. */
const REVIEW_ORDER_ITEM = 0;

/**
 * Cancellation reason codes that mean "not now": another transaction holds an item, or the table
 * or account is throttled. The SDK cannot retry them (TransactionCanceledException is a 400), so
 * the store does, with full jitter, and answers StoreUnavailableError when they persist.
 */
const RETRYABLE_CANCELLATION_CODES = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/**
 * Whole-request errors the store retries itself: a plain write that met a running transaction.
 * Throttling exceptions (ThrottlingException, ProvisionedThroughputExceededException,
 * RequestLimitExceeded) and 5xx are retried by the SDK's own retry strategy (maxAttempts of the
 * client, jittered backoff), so the store does not multiply its attempts.
 */
const RETRYABLE_ERROR_NAMES = new Set(['TransactionConflictException']);

const UNAVAILABLE_ERROR_NAMES = new Set([
  ...RETRYABLE_ERROR_NAMES,
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ResourceNotFoundException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

/*
 * Errors are recognised by name and fields, not instanceof: under test runners that load modules
 * in a separate realm (and across SDK copies) the classes are not the same objects.
 */
function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

function stringField(error: unknown, name: string): string | undefined {
  const value = field(error, name);
  return typeof value === 'string' ? value : undefined;
}

/**
 * True when the error means DynamoDB cannot answer right now: throttled, 5xx, unreachable (no HTTP
 * answer at all), an answer the SDK could not read (a proxy's HTML page), or the table missing.
 */
export function isUnavailableError(error: unknown): boolean {
  const name = stringField(error, 'name');
  if (name !== undefined && UNAVAILABLE_ERROR_NAMES.has(name)) return true;
  const code = stringField(error, 'code');
  if (code !== undefined && NETWORK_ERROR_CODES.has(code)) return true;
  const metadata = field(error, '$metadata');
  const status = field(metadata, 'httpStatusCode');
  if (typeof status === 'number' && status >= 500) return true;
  // The SDK went through its retries without any HTTP answer (the network error itself may be
  // wrapped beyond recognition), or got one it could not deserialize (no modelled error, so no $fault).
  if (metadata !== undefined && status === undefined) return true;
  if (field(error, '$response') !== undefined && field(error, '$fault') === undefined) return true;
  if (field(error, '$retryable') !== undefined && field(error, '$fault') === 'server') return true;
  const cause = field(error, 'cause');
  return cause !== undefined && cause !== error && isUnavailableError(cause);
}

function toStoreError(error: unknown, operation: string): unknown {
  if (error instanceof StoreUnavailableError) return error;
  if (isUnavailableError(error)) return new StoreUnavailableError(`Order store unavailable (${operation})`, { cause: error });
  return error;
}

/** A cancellation reason as DynamoDB reports it: the code, and the item when ALL_OLD was asked for. */
export interface CancellationReasonView {
  code: string;
  item: Record<string, unknown> | null;
}

/** The reasons of a TransactionCanceledException (one per transaction item, `None` when that item was fine), else null. */
export function cancellationReasons(error: unknown): CancellationReasonView[] | null {
  if (stringField(error, 'name') !== 'TransactionCanceledException') return null;
  const reasons = field(error, 'CancellationReasons');
  if (!Array.isArray(reasons)) return [];
  return reasons.map((reason: unknown) => {
    const item = field(reason, 'Item');
    return {
      code: stringField(reason, 'Code') ?? 'None',
      item: typeof item === 'object' && item !== null ? unmarshall(item as Parameters<typeof unmarshall>[0]) : null,
    };
  });
}

/** What a cancelled transaction means for the caller. */
export type CancellationVerdict =
  /** The item at this position failed its condition (the others are `None`). */
  | { kind: 'condition-failed'; index: number; item: Record<string, unknown> | null }
  /** Another transaction or throttling got in the way: try again after a pause. */
  | { kind: 'retry'; codes: string[] }
  /** Anything else (validation, item too large): a bug, not an outage. */
  | { kind: 'fatal'; codes: string[] };

/**
 * Reads the reasons of a cancelled transaction. A failed condition wins over a concurrent conflict
 * on another item (the condition will fail again on retry, so retrying would only waste units).
 */
export function classifyCancellation(reasons: readonly CancellationReasonView[]): CancellationVerdict {
  const failed = reasons.findIndex((reason) => reason.code === 'ConditionalCheckFailed');
  if (failed >= 0) return { kind: 'condition-failed', index: failed, item: reasons[failed]?.item ?? null };
  const codes = reasons.map((reason) => reason.code).filter((code) => code !== 'None');
  if (codes.length > 0 && codes.every((code) => RETRYABLE_CANCELLATION_CODES.has(code))) return { kind: 'retry', codes };
  return { kind: 'fatal', codes };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** FNV-1a: a stable, well-spread shard for an orderId, so a review lands on the order's shard. */
export function shardOf(orderId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < orderId.length; index += 1) {
    hash ^= orderId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

function daysBetween(startDay: string, endDay: string): string[] {
  if (!ISO_DAY_PATTERN.test(startDay) || !ISO_DAY_PATTERN.test(endDay)) throw new RangeError('Days must be yyyy-mm-dd');
  const days: string[] = [];
  const end = Date.parse(`${endDay}T00:00:00.000Z`);
  for (let at = Date.parse(`${startDay}T00:00:00.000Z`); at <= end; at += 86_400_000) {
    if (days.length >= MAX_ROLLUP_DAYS) throw new RangeError(`A range may span at most ${MAX_ROLLUP_DAYS} days`);
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Sorts after every sort key that starts with the same day. */
const AFTER_ANY_SUFFIX = '\uffff';

function writeUnits(units: number): RequestUnits {
  return { readUnits: 0, writeUnits: units };
}

function capacityUnits(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}

/** The `#<p>i :<p>i` terms of an ADD clause, registering the attribute names and amounts they use. */
function addTerms(counters: readonly [string, number][], prefix: string, names: Record<string, string>, values: Record<string, unknown>): string[] {
  return counters.map(([attribute, amount], index) => {
    names[`#${prefix}${index}`] = attribute;
    values[`:${prefix}${index}`] = amount;
    return `#${prefix}${index} :${prefix}${index}`;
  });
}

function customerCounterAdds(delta: CustomerProfileDelta, names: Record<string, string>, values: Record<string, unknown>): string[] {
  return addTerms(
    CUSTOMER_COUNTERS.map((counter): [string, number] => [counter, delta[counter]]),
    'n',
    names,
    values,
  );
}

type ProfileAim = 'latest' | 'between' | 'earliest';

/** Where an order's time falls among the customer's first and last order times (the profile item as it is). */
function profileAimFor(profile: Record<string, unknown> | null, at: string): ProfileAim {
  if (profile === null) return 'latest';
  const lastOrderAt = typeof profile.lastOrderAt === 'string' ? profile.lastOrderAt : '';
  const firstSeenAt = typeof profile.firstSeenAt === 'string' ? profile.firstSeenAt : '';
  if (lastOrderAt <= at) return 'latest';
  if (firstSeenAt <= at) return 'between';
  return 'earliest';
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The production order store: one DynamoDB table (SPEC section 5, layout in table-design.ts).
 * Every state change is one TransactWriteItems; the order put is conditional on the orderId being
 * new, which is the idempotency. Order events are not written by the store: they flow from the
 * table's stream, so this store is not an Outbox.
 *
 * Units: every request asks for ReturnConsumedCapacity (INDEXES on writes and queries, TOTAL on
 * GetItem, which touches no index) and reports what DynamoDB consumed, table and indexes together;
 * estimateWriteUnits predicts a write from the sizes of the items it will send (AWS billing rules).
 */
export class DynamoDbOrderStore implements OrderStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly shards: number;
  private readonly retentionSeconds: number;
  private readonly retry: TransactionRetryOptions;
  private closed = false;

  constructor(private readonly options: DynamoDbOrderStoreOptions) {
    this.tableName = options.tableName;
    this.shards = options.rollupShards ?? DEFAULT_ROLLUP_SHARDS;
    if (!Number.isInteger(this.shards) || this.shards < 1 || this.shards > MAX_ROLLUP_SHARDS) {
      throw new RangeError(`rollupShards must be an integer from 1 to ${MAX_ROLLUP_SHARDS}`);
    }
    this.retentionSeconds = options.velocityRetentionSeconds ?? DEFAULT_VELOCITY_RETENTION_SECONDS;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  // ---------------------------------------------------------------- items

  /** ADD of every non-zero counter on one shard of the delta's day. */
  private rollupUpdate(delta: RollupDelta, shard: number): TransactItem['Update'] & object {
    const names: Record<string, string> = { '#entity': ENTITY_ATTRIBUTE };
    const values: Record<string, unknown> = { ':entity': ENTITIES.rollupShard };
    const nonZero = ROLLUP_COUNTERS.map((counter): [string, number] => [counter, delta.counters[counter] ?? 0]).filter(([, amount]) => amount !== 0);
    const adds = addTerms(nonZero, 'c', names, values);
    return {
      TableName: this.tableName,
      Key: rollupShardKey(delta.day, shard),
      UpdateExpression: `SET #entity = :entity${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  /**
   * The profile update of a new order. DynamoDB has no min/max in update expressions, so the update
   * is aimed at one case (the order is the customer's latest, between, or earliest) with a condition
   * proving it; a wrong aim fails that condition and the transaction is retried with the aim the
   * returned item shows. Orders arrive in time order almost always, so the first aim nearly always holds.
   */
  private profileUpdateForOrder(delta: CustomerProfileDelta, aim: ProfileAim): TransactItem['Update'] & object {
    const names: Record<string, string> = { '#entity': ENTITY_ATTRIBUTE, '#customerId': 'customerId', '#first': 'firstSeenAt' };
    const values: Record<string, unknown> = { ':entity': ENTITIES.profile, ':customerId': delta.customerId, ':at': delta.at };
    const adds = customerCounterAdds(delta, names, values);
    const sets = ['#entity = :entity', '#customerId = :customerId'];
    let condition: string;
    if (aim === 'latest') {
      names['#last'] = 'lastOrderAt';
      sets.push('#first = if_not_exists(#first, :at)', '#last = :at');
      condition = `attribute_not_exists(${PARTITION_KEY}) OR #last <= :at`;
    } else if (aim === 'between') {
      names['#last'] = 'lastOrderAt';
      condition = '#first <= :at AND #last > :at';
    } else {
      sets.push('#first = :at');
      condition = '#first > :at';
    }
    return {
      TableName: this.tableName,
      Key: profileKey(delta.customerId),
      UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    };
  }

  /** A review moves counters only; the customer must exist (its order does). */
  private profileUpdateForReview(delta: CustomerProfileDelta): TransactItem['Update'] & object {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds = customerCounterAdds(delta, names, values);
    return {
      TableName: this.tableName,
      Key: profileKey(delta.customerId),
      UpdateExpression: `ADD ${adds.join(', ')}`,
      ConditionExpression: `attribute_exists(${PARTITION_KEY})`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  private recordOrderItems(input: RecordOrderInput, aim: ProfileAim): TransactItem[] {
    const { order } = input;
    if (input.velocity.orderId !== order.orderId) throw new Error(`Velocity entry of ${input.velocity.orderId} recorded with order ${order.orderId}`);
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: orderItem(order),
          ConditionExpression: `attribute_not_exists(${PARTITION_KEY})`,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      { Update: this.rollupUpdate(input.rollup, shardOf(order.orderId, this.shards)) },
      { Update: this.profileUpdateForOrder(input.profile, aim) },
      ...velocityItems(input.velocity, this.retentionSeconds).map((item): TransactItem => ({ Put: { TableName: this.tableName, Item: item } })),
    ];
  }

  private applyReviewItems(input: ApplyReviewInput): TransactItem[] {
    const { updatedOrder } = input;
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: orderItem(updatedOrder),
          ConditionExpression: '#status = :expected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':expected': input.expectedStatus },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: reviewItem(input.review, updatedOrder),
          ConditionExpression: `attribute_not_exists(${PARTITION_KEY})`,
        },
      },
      { Update: this.rollupUpdate(input.rollup, shardOf(input.orderId, this.shards)) },
      { Update: this.profileUpdateForReview(input.profile) },
    ];
  }

  // ---------------------------------------------------------------- plumbing

  private assertOpen(operation: string): void {
    if (this.closed) throw new StoreUnavailableError(`Order store unavailable (${operation}): the store is closed`);
  }

  /** One request; a plain write that met a running transaction (TransactionConflictException) is tried again. */
  private async send<T>(operation: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      this.assertOpen(operation);
      try {
        return await work();
      } catch (error) {
        const name = stringField(error, 'name') ?? '';
        if (!RETRYABLE_ERROR_NAMES.has(name)) throw toStoreError(error, operation);
        await this.pauseBeforeRetry(operation, attempt, [name], error);
      }
    }
  }

  /** Waits before the next attempt (exponential backoff, full jitter), or gives up as unavailable after maxAttempts. */
  private async pauseBeforeRetry(operation: string, attempt: number, codes: readonly string[], error: unknown): Promise<void> {
    if (attempt >= this.retry.maxAttempts) {
      throw new StoreUnavailableError(`Order store unavailable (${operation}): ${codes.join(', ')} after ${attempt} attempts`, { cause: error });
    }
    await sleep(backoffMs(attempt - 1, { baseBackoffMs: this.retry.baseDelayMs, maxBackoffMs: this.retry.maxDelayMs }));
  }

  /**
   * Runs one transaction, retrying conflicts and throttling with exponential backoff and full
   * jitter. `onConditionFailed` decides what a failed condition means: a result, or a new set of
   * items to try (which does not use up the retry budget).
   */
  private async transact<T>(
    operation: string,
    items: TransactItem[],
    onConditionFailed: (index: number, item: Record<string, unknown> | null) => { result: T } | { retryWith: TransactItem[] },
    onSuccess: (units: number) => T,
  ): Promise<T> {
    let attempt = 0;
    let reaims = 0;
    let current = items;
    for (;;) {
      this.assertOpen(operation);
      try {
        const output = await this.doc.send(new TransactWriteCommand({ TransactItems: current, ReturnConsumedCapacity: 'INDEXES' }));
        return onSuccess(capacityUnits(output.ConsumedCapacity));
      } catch (error) {
        const reasons = cancellationReasons(error);
        const name = stringField(error, 'name') ?? '';
        const verdict: CancellationVerdict | null =
          reasons !== null ? classifyCancellation(reasons) : RETRYABLE_ERROR_NAMES.has(name) ? { kind: 'retry', codes: [name] } : null;
        if (verdict === null) throw toStoreError(error, operation);
        if (verdict.kind === 'condition-failed') {
          const next = onConditionFailed(verdict.index, verdict.item);
          if ('result' in next) return next.result;
          reaims += 1;
          if (reaims > MAX_PROFILE_REAIMS) throw new StoreUnavailableError(`Order store unavailable (${operation}): item kept changing`, { cause: error });
          current = next.retryWith;
          continue;
        }
        if (verdict.kind === 'fatal') throw error;
        attempt += 1;
        await this.pauseBeforeRetry(operation, attempt, verdict.codes, error);
      }
    }
  }

  // ---------------------------------------------------------------- writes

  async recordOrder(input: RecordOrderInput): Promise<RecordOrderResult> {
    const estimate = this.estimateWriteUnits({ kind: 'order', input });
    const at = input.profile.at;
    return this.transact<RecordOrderResult>(
      'recordOrder',
      this.recordOrderItems(input, 'latest'),
      (index, item) => {
        if (index === RECORD_ORDER_ITEM) {
          if (item === null) throw new Error(`Order ${input.order.orderId} exists but DynamoDB returned no item`);
          // A cancelled transaction is charged but reports no consumed capacity: the estimate stands in.
          return { result: { outcome: 'exists', existing: withoutKeys<StoredOrder>(item), units: estimate } };
        }
        if (index === RECORD_PROFILE_ITEM) return { retryWith: this.recordOrderItems(input, profileAimFor(item, at)) };
        throw new Error(`Unexpected failed condition on item ${index} of recordOrder`);
      },
      (units) => ({ outcome: 'created', units: writeUnits(units) }),
    );
  }

  async applyReview(input: ApplyReviewInput): Promise<ApplyReviewResult> {
    if (input.updatedOrder.orderId !== input.orderId) {
      throw new Error(`Review of ${input.orderId} carries order ${input.updatedOrder.orderId}`);
    }
    return this.transact<ApplyReviewResult>(
      'applyReview',
      this.applyReviewItems(input),
      (index, item) => {
        if (index === REVIEW_ORDER_ITEM) {
          if (item === null) return { result: { outcome: 'not_found' } };
          return { result: { outcome: 'status_changed', currentStatus: item.status as OrderStatus } };
        }
        throw new Error(`Review of ${input.orderId}: condition failed on item ${index} (review already recorded, or the customer has no profile)`);
      },
      () => ({ outcome: 'applied' }),
    );
  }

  async recordValidationFailure(rollup: RollupDelta): Promise<RequestUnits> {
    const shard = Math.floor(Math.random() * this.shards);
    const output = await this.send('recordValidationFailure', () =>
      this.doc.send(new UpdateCommand({ ...this.rollupUpdate(rollup, shard), ReturnConsumedCapacity: 'INDEXES' })),
    );
    return writeUnits(capacityUnits(output.ConsumedCapacity));
  }

  /** Predicted from the items this store would send (write-units.ts). */
  estimateWriteUnits(write: PlannedWrite): RequestUnits {
    return estimateWriteUnits(write, this.retentionSeconds);
  }

  // ---------------------------------------------------------------- reads

  /** Strongly consistent: the idempotency look-up must see a just-committed order. */
  async getOrder(orderId: string): Promise<Metered<StoredOrder | null>> {
    const output = await this.send('getOrder', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: orderKey(orderId), ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' })),
    );
    const order = output.Item === undefined ? null : withoutKeys<StoredOrder>(output.Item);
    return { value: order, units: this.readUnits(output.ConsumedCapacity, output.Item, 'strong') };
  }

  /** Consumed capacity as reported; a response without it (never on AWS with TOTAL) is sized from the item. */
  private readUnits(consumed: ConsumedCapacity | undefined, item: Record<string, unknown> | undefined, consistency: 'strong' | 'eventual'): RequestUnits {
    const reported = capacityUnits(consumed);
    const units = reported > 0 ? reported : readUnitsFor(item === undefined ? 0 : itemSizeBytes(item), consistency);
    return { readUnits: units, writeUnits: 0 };
  }

  async getReviews(orderId: string): Promise<ReviewRecord[]> {
    const items = await this.queryAll('getReviews', {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
      ExpressionAttributeValues: { ':pk': orderKey(orderId).PK, ':prefix': REVIEW_PREFIX },
      ConsistentRead: true,
    });
    return items.items.map((item) => withoutKeys<ReviewRecord>(item));
  }

  /** Eventually consistent, as the screening tolerates a profile a few milliseconds old. */
  async getCustomerProfile(customerId: string): Promise<Metered<CustomerProfile | null>> {
    const output = await this.send('getCustomerProfile', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: profileKey(customerId), ReturnConsumedCapacity: 'TOTAL' })),
    );
    let profile: CustomerProfile | null = null;
    if (output.Item !== undefined) {
      const item = output.Item;
      profile = {
        customerId: String(item.customerId),
        firstSeenAt: String(item.firstSeenAt),
        lastOrderAt: String(item.lastOrderAt),
        orderCount: Number(item.orderCount ?? 0),
        approvedCount: Number(item.approvedCount ?? 0),
        rejectedCount: Number(item.rejectedCount ?? 0),
        pendingCount: Number(item.pendingCount ?? 0),
        approvedAmountCents: Number(item.approvedAmountCents ?? 0),
      };
    }
    return { value: profile, units: this.readUnits(output.ConsumedCapacity, output.Item, 'eventual') };
  }

  /**
   * One Query per key over `SK >= <now - window>` (inclusive to the millisecond: the sort key starts
   * with the entry's ISO time). A Query is charged on the total size of the entries it reads
   * (0.5 RRU per started 4 KB, eventually consistent), about 40 entries per unit.
   */
  async getVelocity(query: VelocityQuery): Promise<Metered<VelocitySnapshot>> {
    const { keys, windows } = query;
    const now = Date.parse(isoTime(query.now));
    const since = (seconds: number) => new Date(now - seconds * 1000).toISOString();
    const [customer, card, address] = await Promise.all([
      this.velocityEntries('CUSTOMER', keys.customerId, since(windows.customerSeconds)),
      keys.cardKey === null ? Promise.resolve(null) : this.velocityEntries('CARD', keys.cardKey, since(windows.cardSeconds)),
      this.velocityEntries('ADDRESS', keys.addressKey, since(windows.addressSeconds)),
    ]);
    const others = (entries: Record<string, unknown>[], attribute: 'customerId' | 'email', own: string) =>
      new Set(entries.map((entry) => entry[attribute]).filter((value) => value !== own)).size;
    return {
      value: {
        customerRecentOrders: customer.items.length,
        cardOtherCustomers: card === null ? 0 : others(card.items, 'customerId', keys.customerId),
        cardOtherEmails: card === null ? 0 : others(card.items, 'email', keys.email),
        addressOtherCustomers: others(address.items, 'customerId', keys.customerId),
      },
      units: { readUnits: customer.readUnits + (card?.readUnits ?? 0) + address.readUnits, writeUnits: 0 },
    };
  }

  private velocityEntries(kind: VelocityKind, key: string, since: string) {
    return this.queryAll('getVelocity', {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND #sk >= :since',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY, '#customerId': 'customerId', '#email': 'email' },
      ExpressionAttributeValues: { ':pk': velocityPartitionKey(kind, key), ':since': since },
      ProjectionExpression: '#customerId, #email',
    });
  }

  /** Every page of a Query, with the read units summed. */
  private async queryAll(operation: string, input: QueryCommandInput, limit?: number): Promise<{ items: Record<string, unknown>[]; readUnits: number; more: boolean }> {
    const items: Record<string, unknown>[] = [];
    let readUnits = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const remaining = limit === undefined ? undefined : limit - items.length;
      const output = await this.send(operation, () =>
        this.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey, Limit: remaining, ReturnConsumedCapacity: 'INDEXES' })),
      );
      readUnits += capacityUnits(output.ConsumedCapacity);
      items.push(...(output.Items ?? []));
      startKey = output.LastEvaluatedKey;
    } while (startKey !== undefined && (limit === undefined || items.length < limit));
    if (readUnits === 0) readUnits = readUnitsFor(0, input.ConsistentRead === true ? 'strong' : 'eventual');
    return { items, readUnits, more: startKey !== undefined };
  }

  /** For each day, its shard items (one Query per day, strongly consistent) summed; days without items are absent. */
  async getRollups(startDay: string, endDay: string): Promise<DailyRollup[]> {
    const days = daysBetween(startDay, endDay);
    const rollups: (DailyRollup | null)[] = new Array<DailyRollup | null>(days.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < days.length) {
        const index = next;
        next += 1;
        const day = days[index] ?? '';
        const { items } = await this.queryAll('getRollups', {
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY },
          ExpressionAttributeValues: { ':pk': rollupPartitionKey(day) },
          ConsistentRead: true,
        });
        if (items.length === 0) continue;
        const counters = emptyRollupCounters();
        for (const item of items) {
          for (const counter of ROLLUP_COUNTERS) {
            const value = item[counter];
            if (typeof value === 'number') counters[counter] += value;
          }
        }
        rollups[index] = { day, counters };
      }
    };
    await Promise.all(Array.from({ length: Math.min(ROLLUP_READ_CONCURRENCY, days.length) }, worker));
    return rollups.filter((rollup): rollup is DailyRollup => rollup !== null);
  }

  /**
   * Newest first, keyset cursor (day, createdAt, orderId) as in SQLite. With a status: one range of
   * GSI1 (`STATUS#<status>`, sort key `<createdAt>#<orderId>`). Without: GSI2 day by day,
   * from the end day (or the cursor's day) back to the start day. One extra entry tells whether
   * another page exists, so the last page never points at an empty one.
   */
  async listOrders(query: ListOrdersQuery): Promise<OrderPage> {
    assertPageLimit(query.limit);
    const after = listStartAfter(query.cursor, query.endDay);
    if (!ISO_DAY_PATTERN.test(query.startDay) || !ISO_DAY_PATTERN.test(query.endDay)) throw new RangeError('Days must be yyyy-mm-dd');
    const wanted = query.limit + 1;
    const found: OrderSummary[] = [];

    if (query.status !== undefined) {
      // createdAt starts with its UTC day, so a day range is one key range of `<createdAt>#<orderId>`.
      const upper = after === null ? `${query.endDay}${AFTER_ANY_SUFFIX}` : orderListSortKey(after.createdAt, after.orderId);
      if (upper >= query.startDay) {
        found.push(...(await this.listingRange('status', `${STATUS_PREFIX}${query.status}`, query.startDay, upper, after === null ? null : upper, wanted)));
      }
    } else {
      let day = after === null ? query.endDay : after.day;
      let excluded = after === null ? null : orderListSortKey(after.createdAt, after.orderId);
      while (day >= query.startDay && found.length < wanted) {
        const upper = excluded ?? `${day}${AFTER_ANY_SUFFIX}`;
        found.push(...(await this.listingRange('day', `${DAY_PREFIX}${day}`, null, upper, excluded, wanted - found.length)));
        excluded = null;
        day = previousDay(day);
      }
    }

    return pageOf(found, query.limit);
  }

  /**
   * Up to `wanted` summaries of one listing-index partition, newest first, with sort keys from
   * `lower` (or the partition's start) to `upper` inclusive, leaving out the `excluded` entry (a cursor).
   */
  private async listingRange(index: 'status' | 'day', partition: string, lower: string | null, upper: string, excluded: string | null, wanted: number): Promise<OrderSummary[]> {
    const [indexName, partitionKey, sortKey] =
      index === 'status' ? [STATUS_INDEX, STATUS_INDEX_PARTITION_KEY, STATUS_INDEX_SORT_KEY] : [DAY_INDEX, DAY_INDEX_PARTITION_KEY, DAY_INDEX_SORT_KEY];
    const { items } = await this.queryAll(
      'listOrders',
      {
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: lower === null ? '#pk = :pk AND #sk <= :upper' : '#pk = :pk AND #sk BETWEEN :lower AND :upper',
        ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
        ExpressionAttributeValues: { ':pk': partition, ':upper': upper, ...(lower === null ? {} : { ':lower': lower }) },
        ScanIndexForward: false,
      },
      wanted + (excluded === null ? 0 : 1),
    );
    return items.filter((item) => item[sortKey] !== excluded).map(summaryOf);
  }

  /** DescribeTable: no capacity consumed, and it fails when the table is missing or DynamoDB unreachable. */
  async ping(): Promise<void> {
    await this.send('ping', () => this.options.client.send(new DescribeTableCommand({ TableName: this.tableName })));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.client.destroy();
  }
}
