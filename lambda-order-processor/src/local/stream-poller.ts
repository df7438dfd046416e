import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type AttributeValue as SdkAttributeValue,
  type DynamoDBStreamsClient,
  type _Record as SdkStreamRecord,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { EventDelivery } from '../services/event-delivery.js';
import { backoffMs } from '../domain/retry/backoff.js';

/**
 * The local stand-in for Lambda's DynamoDB Streams event source mapping (the high-fidelity mode on
 * DynamoDB Local): polls every shard of the table's stream, parents before children, and invokes
 * the events function in-process with batches of Lambda-shaped records. With ReportBatchItemFailures
 * semantics: after a partial failure the shard resumes from the lowest failed sequence number (the
 * records before it are done), after backoff; when a batch has failed `maximumRetryAttempts + 1`
 * times its remaining records are discarded (reported to onDiscarded, AWS's on-failure
 * destination) and the shard moves on. A thrown error fails the whole batch. Bisecting is not done.
 */

export type StreamBatchFunction = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

export interface StreamPollerOptions {
  client: DynamoDBStreamsClient;
  /** The stream to poll; or `tableName`, whose latest stream is looked up (ListStreams). */
  streamArn?: string;
  tableName?: string;
  handler: StreamBatchFunction;
  /** Records per invocation (Lambda's BatchSize; 1-1000, default 100). */
  batchSize?: number;
  /**
   * Shards present at start begin here (Lambda's StartingPosition; default TRIM_HORIZON, as the
   * Terraform mapping: what was recorded while nothing polled is delivered, redelivery being
   * harmless). Shards that appear later always start at TRIM_HORIZON.
   */
  startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  /** Retries of a failing batch before its records are discarded (Lambda's MaximumRetryAttempts; default 3). */
  maximumRetryAttempts?: number;
  /** Pause between polls of a shard that had nothing (Lambda polls about 4 times a second; default 250). */
  pollIntervalMs?: number;
  /** How often new shards are looked for (default 10 s; a closed shard triggers a look at once). */
  shardRefreshMs?: number;
  /** Backoff between retries of a failing batch (exponential with full jitter). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** The region named in each record (`awsRegion`). */
  region?: string;
  /** Records given up on after their retries (the dead-letter queue of the AWS mapping). */
  onDiscarded?: (records: DynamoDBRecord[], reason: string) => void;
  onError?: (message: string, details: Record<string, unknown>) => void;
}

interface ShardState {
  id: string;
  parentId: string | null;
  iterator: string | null;
  /** Fetched, not yet delivered (or delivery failed and is retried). */
  pending: DynamoDBRecord[];
  lastSequenceNumber: string | null;
  startAt: ShardIteratorType;
  attempts: number;
  retryAt: number;
  /** The shard is closed and everything in it delivered. */
  finished: boolean;
}

const MAX_BATCH_SIZE = 1000;
/** Pause after a failed poll (DynamoDB Local unreachable, stream gone) before the next. */
const ERROR_PAUSE_MS = 1_000;

/** The SDK's attribute value (binaries as bytes) as Lambda's event JSON carries it (binaries in base64). */
function lambdaAttribute(value: SdkAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(lambdaAttribute) };
  if (value.M !== undefined) return { M: lambdaImage(value.M) };
  return value as AttributeValue;
}

function lambdaImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, lambdaAttribute(value)]));
}

/** A record of DynamoDB Streams' GetRecords as Lambda's event source mapping delivers it. */
export function toLambdaRecord(record: SdkStreamRecord, streamArn: string, region: string): DynamoDBRecord {
  const change = record.dynamodb ?? {};
  const dynamodb: NonNullable<DynamoDBRecord['dynamodb']> = {};
  if (change.ApproximateCreationDateTime !== undefined) dynamodb.ApproximateCreationDateTime = Math.floor(change.ApproximateCreationDateTime.getTime() / 1000);
  if (change.Keys !== undefined) dynamodb.Keys = lambdaImage(change.Keys);
  if (change.NewImage !== undefined) dynamodb.NewImage = lambdaImage(change.NewImage);
  if (change.OldImage !== undefined) dynamodb.OldImage = lambdaImage(change.OldImage);
  if (change.SequenceNumber !== undefined) dynamodb.SequenceNumber = change.SequenceNumber;
  if (change.SizeBytes !== undefined) dynamodb.SizeBytes = change.SizeBytes;
  if (change.StreamViewType !== undefined) dynamodb.StreamViewType = change.StreamViewType;
  const lambdaRecord: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? region,
    dynamodb,
    eventSourceARN: streamArn,
  };
  if (record.userIdentity !== undefined) lambdaRecord.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  return lambdaRecord;
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : '';
}

function sleep(ms: number, signal: { wake: (() => void) | null }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.wake = null;
      resolve();
    }
    signal.wake = done;
  });
}

export class StreamPoller implements EventDelivery {
  private readonly batchSize: number;
  private readonly maximumRetryAttempts: number;
  private readonly pollIntervalMs: number;
  private readonly shardRefreshMs: number;
  private readonly region: string;
  private streamArn: string | null;
  private readonly shards = new Map<string, ShardState>();
  private lastRefresh = 0;
  private refreshNeeded = true;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly sleeper: { wake: (() => void) | null } = { wake: null };
  /** Passes begun so far (a flush waits for an idle pass begun after it asked). */
  private passesBegun = 0;
  /** Flushes waiting for an idle pass (one that fetched nothing and left nothing pending) numbered above `after`. */
  private idleWaiters: Array<{ after: number; resolve: () => void }> = [];

  constructor(private readonly options: StreamPollerOptions) {
    if (options.streamArn === undefined && options.tableName === undefined) throw new Error('StreamPoller needs a streamArn or a tableName');
    this.batchSize = options.batchSize ?? 100;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > MAX_BATCH_SIZE) {
      throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}`);
    }
    this.maximumRetryAttempts = options.maximumRetryAttempts ?? 3;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.shardRefreshMs = options.shardRefreshMs ?? 10_000;
    this.region = options.region ?? 'us-east-1';
    this.streamArn = options.streamArn ?? null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  kick(): void {
    this.sleeper.wake?.();
  }

  /**
   * Polls until a pass finds nothing new and nothing waiting for delivery (or the deadline passes);
   * resolves to the records still waiting (fetched but not yet delivered).
   */
  async flush(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    if (!this.running) {
      while (Date.now() < deadline) {
        const outcome = await this.pass();
        if (outcome.idle) return 0;
        if (!outcome.worked) await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollIntervalMs, Math.max(0, deadline - Date.now()))));
      }
      return this.pendingCount();
    }
    const idle = new Promise<void>((resolve) => this.idleWaiters.push({ after: this.passesBegun, resolve }));
    this.kick();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([idle, new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
    clearTimeout(timer);
    return this.pendingCount();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
    this.loop = null;
  }

  /** Records fetched and not yet delivered, over every shard. */
  pendingCount(): number {
    let pending = 0;
    for (const shard of this.shards.values()) pending += shard.pending.length;
    return pending;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.passesBegun += 1;
      const pass = this.passesBegun;
      let outcome = { worked: false, idle: false };
      let pause = this.pollIntervalMs;
      try {
        outcome = await this.pass();
      } catch (error) {
        this.options.onError?.('polling the stream failed; retrying', { error: String(error) });
        pause = Math.max(pause, ERROR_PAUSE_MS);
      }
      if (outcome.idle) {
        const satisfied = this.idleWaiters.filter((waiter) => waiter.after < pass);
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter.after >= pass);
        for (const waiter of satisfied) waiter.resolve();
      }
      if (this.running && !outcome.worked) await sleep(pause, this.sleeper);
    }
    for (const waiter of this.idleWaiters.splice(0)) waiter.resolve();
  }

  /**
   * One poll of every active shard: `worked` when records were fetched or delivered, `idle` when
   * nothing was fetched and nothing is pending.
   */
  private async pass(): Promise<{ worked: boolean; idle: boolean }> {
    if (this.refreshNeeded || Date.now() - this.lastRefresh >= this.shardRefreshMs) await this.refreshShards();
    const active = [...this.shards.values()].filter((shard) => !shard.finished && this.parentDone(shard));
    // Every shard's poll settles before the pass ends, so no delivery outlives its pass (a shard is never polled twice at once).
    const results = await Promise.allSettled(active.map((shard) => this.pollShard(shard)));
    const failure = results.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    const worked = results.some((result) => result.status === 'fulfilled' && result.value);
    return { worked, idle: !worked && this.pendingCount() === 0 };
  }

  private parentDone(shard: ShardState): boolean {
    if (shard.parentId === null) return true;
    const parent = this.shards.get(shard.parentId);
    return parent === undefined || parent.finished;
  }

  private async resolveStreamArn(): Promise<string> {
    if (this.streamArn !== null) return this.streamArn;
    const output = await this.options.client.send(new ListStreamsCommand({ TableName: this.options.tableName }));
    const latest = [...(output.Streams ?? [])].sort((a, b) => (a.StreamLabel ?? '').localeCompare(b.StreamLabel ?? '')).at(-1);
    if (latest?.StreamArn === undefined) throw new Error(`table ${this.options.tableName ?? ''} has no stream`);
    this.streamArn = latest.StreamArn;
    return this.streamArn;
  }

  private async refreshShards(): Promise<void> {
    const streamArn = await this.resolveStreamArn();
    const firstLook = this.lastRefresh === 0;
    const shards: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const output = await this.options.client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }));
      shards.push(...(output.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = output.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId !== undefined);
    for (const shard of shards) {
      if (shard.ShardId === undefined || this.shards.has(shard.ShardId)) continue;
      // At start only the open shards matter for LATEST; closed ones hold nothing newer.
      const open = shard.SequenceNumberRange?.EndingSequenceNumber === undefined;
      const startAt: ShardIteratorType = firstLook ? (this.options.startingPosition ?? 'TRIM_HORIZON') : 'TRIM_HORIZON';
      this.shards.set(shard.ShardId, {
        id: shard.ShardId,
        parentId: shard.ParentShardId ?? null,
        iterator: null,
        pending: [],
        lastSequenceNumber: null,
        startAt,
        attempts: 0,
        retryAt: 0,
        finished: firstLook && startAt === 'LATEST' && !open,
      });
    }
    this.lastRefresh = Date.now();
    this.refreshNeeded = false;
  }

  /** Fetches the shard's next records when none are pending, then delivers what is due; true when it did something. */
  private async pollShard(shard: ShardState): Promise<boolean> {
    let busy = false;
    if (shard.pending.length === 0) busy = await this.fetch(shard);
    if (shard.pending.length > 0 && Date.now() >= shard.retryAt) {
      await this.deliver(shard);
      busy = true;
    }
    return busy;
  }

  private async fetch(shard: ShardState): Promise<boolean> {
    const streamArn = await this.resolveStreamArn();
    const { client } = this.options;
    if (shard.iterator === null) {
      const position: ShardIteratorType = shard.lastSequenceNumber === null ? shard.startAt : 'AFTER_SEQUENCE_NUMBER';
      const output = await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.id,
          ShardIteratorType: position,
          ...(position === 'AFTER_SEQUENCE_NUMBER' && shard.lastSequenceNumber !== null ? { SequenceNumber: shard.lastSequenceNumber } : {}),
        }),
      );
      shard.iterator = output.ShardIterator ?? null;
      if (shard.iterator === null) {
        this.finish(shard);
        return false;
      }
    }
    let output;
    try {
      output = await client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: this.batchSize }));
    } catch (error) {
      const name = errorName(error);
      if (name === 'ExpiredIteratorException') {
        shard.iterator = null;
        return true;
      }
      if (name === 'TrimmedDataAccessException') {
        this.options.onError?.('stream records expired before they were delivered; resuming at the oldest kept record', { shardId: shard.id });
        shard.iterator = null;
        shard.lastSequenceNumber = null;
        shard.startAt = 'TRIM_HORIZON';
        return true;
      }
      throw error;
    }
    const records = (output.Records ?? []).map((record) => toLambdaRecord(record, streamArn, this.region));
    shard.pending.push(...records);
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last !== undefined) shard.lastSequenceNumber = last;
    shard.iterator = output.NextShardIterator ?? null;
    if (shard.iterator === null && shard.pending.length === 0) this.finish(shard);
    return records.length > 0;
  }

  private finish(shard: ShardState): void {
    shard.finished = true;
    this.refreshNeeded = true;
  }

  private async deliver(shard: ShardState): Promise<void> {
    const batch = shard.pending.slice(0, this.batchSize);
    let failedAt: number;
    let reason: string;
    try {
      const response = await this.options.handler({ Records: batch });
      const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      if (failed.size === 0) {
        failedAt = -1;
        reason = '';
      } else {
        // An identifier that names no record of the batch fails the whole batch (as Lambda treats it).
        const positions = batch.map((record, index) => (failed.has(record.dynamodb?.SequenceNumber ?? '') ? index : -1)).filter((index) => index >= 0);
        failedAt = positions.length === failed.size ? Math.min(...positions) : 0;
        reason = `${failed.size} record(s) reported in batchItemFailures`;
      }
    } catch (error) {
      failedAt = 0;
      reason = `the function failed: ${String(error)}`;
    }

    if (failedAt < 0) {
      shard.pending.splice(0, batch.length);
      shard.attempts = 0;
      shard.retryAt = 0;
    } else {
      // Everything before the lowest failed record is done (the mapping's checkpoint).
      shard.pending.splice(0, failedAt);
      if (failedAt > 0) shard.attempts = 0;
      shard.attempts += 1;
      if (shard.attempts > this.maximumRetryAttempts) {
        const discarded = shard.pending.splice(0, batch.length - failedAt);
        this.options.onError?.('stream records discarded after their retries', { shardId: shard.id, records: discarded.length, reason });
        this.options.onDiscarded?.(discarded, reason);
        shard.attempts = 0;
        shard.retryAt = 0;
      } else {
        shard.retryAt = Date.now() + backoffMs(shard.attempts - 1, { baseBackoffMs: this.options.retryBaseMs ?? 200, maxBackoffMs: this.options.retryMaxMs ?? 10_000 });
        this.options.onError?.('stream batch failed; retrying from the lowest failed record', { shardId: shard.id, attempt: shard.attempts, reason });
      }
    }
    if (shard.pending.length === 0 && shard.iterator === null) this.finish(shard);
  }
}
