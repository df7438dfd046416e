import path from 'node:path';
import { DEFAULT_ROLLUP_SHARDS, MAX_ROLLUP_SHARDS } from '../adapters/dynamodb-store/table-design.js';
import type { ArchiveEncryption } from '../adapters/s3-archive/s3-archive.js';
import { AI_MODES, DEFAULT_BEDROCK_MODEL_ID, type AiMode } from '../domain/ai/analysis.js';
import { assertModelPriced } from '../domain/costs/cost-model.js';
import { API_TYPES, LAMBDA_ARCHITECTURES, type DeploymentProfile } from '../domain/costs/usage.js';
import { DEFAULT_SCREENING_SETTINGS, DEFAULT_VELOCITY_WINDOWS } from '../domain/scoring/defaults.js';
import type { ScreeningSettings } from '../domain/signals/signal.js';
import type { VelocityWindows } from '../domain/order/velocity.js';

/**
 * Configuration of the order processor, read from the environment in one place (the composition
 * root calls loadConfig). Every variable has a default for the local run; a bad value fails start-up
 * with a message naming the variable, never a half-configured process.
 */

export const STORE_ENGINES = ['sqlite', 'dynamodb'] as const;
export const ARCHIVE_KINDS = ['fs', 's3'] as const;
export const NOTIFIER_KINDS = ['file', 'sns'] as const;
export const AI_PROVIDERS = ['none', 'bedrock', 'openai'] as const;
export { AI_MODES };
/** Where recorded events are delivered: in the request thread, or (local server) in a worker thread. */
export const OUTBOX_DELIVERY_MODES = ['inline', 'worker'] as const;

export interface OrderProcessorConfig {
  store: (typeof STORE_ENGINES)[number];
  dataDir: string;
  sqliteFile: string;
  /** STORE=dynamodb: the single table (ORDERS_TABLE), else null. */
  ordersTable: string | null;
  /** DYNAMODB_ENDPOINT: endpoint override (DynamoDB Local, VPC endpoint), else null. */
  dynamodbEndpointUrl: string | null;
  /** ROLLUP_SHARDS: items each day's rollup is spread over (DynamoDB; can grow, never shrink). */
  rollupShards: number;
  archive: (typeof ARCHIVE_KINDS)[number];
  archiveDir: string;
  /** ARCHIVE=s3: the bucket, an optional key prefix and the server-side encryption asked for. */
  archiveBucket: string | null;
  archivePrefix: string;
  archiveEncryption: ArchiveEncryption;
  notifier: (typeof NOTIFIER_KINDS)[number];
  notificationsFile: string;
  /** NOTIFIER=sns: the topic (a `.fifo` topic gets message groups and deduplication ids). */
  snsTopicArn: string | null;
  notifyWebhookUrl: string | null;
  outboxDelivery: (typeof OUTBOX_DELIVERY_MODES)[number];
  aiProvider: (typeof AI_PROVIDERS)[number];
  aiMode: AiMode;
  /** AI_TIMEOUT_MS: how long the analyst may take before the rules decision stands alone. */
  aiTimeoutMs: number;
  /** BEDROCK_MODEL_ID: any Converse model the price catalog can price (checked when AI_PROVIDER=bedrock). */
  bedrockModelId: string;
  /** AWS_ENDPOINT_URL_BEDROCK_RUNTIME: endpoint override (VPC endpoint, proxy, local server), else null. */
  bedrockEndpointUrl: string | null;
  /** AI_PROVIDER=openai: the OpenAI-compatible server (OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_API_KEY), else null. */
  openai: { baseUrl: string; model: string; apiKey: string | null } | null;
  screening: ScreeningSettings;
  velocityWindows: VelocityWindows;
  deployment: DeploymentProfile;
  serviceName: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`${name}=${raw} is not supported here; use one of: ${allowed.join(', ')}`);
}

function numberIn(env: Env, name: string, fallback: number, min: number, max: number, integer = true): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

function optionalUrl(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name}=${raw} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL`);
  }
  return url.toString();
}

/** S3 bucket naming rules (general purpose buckets): 3-63 of a-z 0-9 . -, starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

function required(env: Env, name: string, because: string): string {
  const raw = env[name]?.trim();
  if (!raw) throw new ConfigError(`${name} is required when ${because}`);
  return raw;
}

/** DynamoDB table names: 3-255 of a-z A-Z 0-9 _ - . */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

function ordersTable(env: Env): string {
  const table = required(env, 'ORDERS_TABLE', 'STORE=dynamodb');
  if (!TABLE_NAME.test(table)) throw new ConfigError(`ORDERS_TABLE=${table} is not a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ - .)`);
  return table;
}

function archiveBucket(env: Env): string {
  const bucket = required(env, 'ARCHIVE_BUCKET', 'ARCHIVE=s3');
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    throw new ConfigError(`ARCHIVE_BUCKET=${bucket} is not a valid S3 bucket name`);
  }
  return bucket;
}

/** A key prefix such as `orders/` (normalised to end with one slash; empty for none). */
function archivePrefix(env: Env): string {
  const raw = env.ARCHIVE_PREFIX?.trim() ?? '';
  const inner = raw.replace(/^\/+|\/+$/g, '');
  const plain = !/[\\\p{Cc}]/u.test(inner) && inner.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (inner === '') return '';
  if (inner.length > 512 || !plain) {
    throw new ConfigError(`ARCHIVE_PREFIX=${raw} must be a plain key prefix such as orders/ (no empty, . or .. segments)`);
  }
  return `${inner}/`;
}

/** `AES256` (SSE-S3, the default), `aws:kms` (the AWS-managed key) or `aws:kms:<key id, alias or ARN>`. */
function archiveEncryption(env: Env): ArchiveEncryption {
  const raw = env.ARCHIVE_SSE?.trim();
  if (!raw || raw === 'AES256') return { mode: 'AES256' };
  if (raw === 'aws:kms') return { mode: 'aws:kms', kmsKeyId: null };
  if (raw.startsWith('aws:kms:') && /^[A-Za-z0-9:/_-]+$/.test(raw.slice('aws:kms:'.length))) {
    return { mode: 'aws:kms', kmsKeyId: raw.slice('aws:kms:'.length) };
  }
  throw new ConfigError(`ARCHIVE_SSE=${raw} is not supported; use AES256, aws:kms or aws:kms:<key id, alias or ARN>`);
}

function snsTopicArn(env: Env): string {
  const arn = required(env, 'SNS_TOPIC_ARN', 'NOTIFIER=sns');
  if (!TOPIC_ARN.test(arn)) throw new ConfigError(`SNS_TOPIC_ARN=${arn} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`);
  return arn;
}

/**
 * The analyst must answer well inside API Gateway's 30 s integration timeout (HTTP API and REST),
 * or a hanging model would turn into a 503 for the client instead of a rules decision.
 */
const MAX_AI_TIMEOUT_MS = 25_000;

function bedrockModelId(env: Env, provider: (typeof AI_PROVIDERS)[number]): string {
  const modelId = env.BEDROCK_MODEL_ID?.trim() || DEFAULT_BEDROCK_MODEL_ID;
  if (provider !== 'bedrock') return modelId;
  try {
    assertModelPriced(modelId);
  } catch (error) {
    throw new ConfigError(`BEDROCK_MODEL_ID=${modelId}: ${(error as Error).message}`);
  }
  return modelId;
}

function openaiSettings(env: Env): OrderProcessorConfig['openai'] {
  const baseUrl = optionalUrl(env, 'OPENAI_BASE_URL');
  if (baseUrl === null) throw new ConfigError('OPENAI_BASE_URL is required when AI_PROVIDER=openai');
  return {
    baseUrl,
    model: required(env, 'OPENAI_MODEL', 'AI_PROVIDER=openai'),
    apiKey: env.OPENAI_API_KEY?.trim() || null,
  };
}

export function loadConfig(env: Env = process.env): OrderProcessorConfig {
  const dataDir = path.resolve(env.DATA_DIR?.trim() || '.data');
  const defaults = DEFAULT_SCREENING_SETTINGS;
  const windows = DEFAULT_VELOCITY_WINDOWS;
  const rejectBelow = numberIn(env, 'REJECT_BELOW_SCORE', defaults.thresholds.rejectBelow, 0, 10, false);
  const approveFrom = numberIn(env, 'APPROVE_FROM_SCORE', defaults.thresholds.approveFrom, 0, 10, false);
  if (rejectBelow > approveFrom) {
    throw new ConfigError(`REJECT_BELOW_SCORE (${rejectBelow}) must not exceed APPROVE_FROM_SCORE (${approveFrom})`);
  }
  const archive = oneOf(env, 'ARCHIVE', ARCHIVE_KINDS, 'fs');
  const notifier = oneOf(env, 'NOTIFIER', NOTIFIER_KINDS, 'file');
  const aiProvider = oneOf(env, 'AI_PROVIDER', AI_PROVIDERS, 'none');
  const store = oneOf(env, 'STORE', STORE_ENGINES, 'sqlite');
  return {
    store,
    dataDir,
    sqliteFile: path.join(dataDir, 'orderops.sqlite'),
    ordersTable: store === 'dynamodb' ? ordersTable(env) : null,
    dynamodbEndpointUrl: store === 'dynamodb' ? optionalUrl(env, 'DYNAMODB_ENDPOINT') : null,
    rollupShards: numberIn(env, 'ROLLUP_SHARDS', DEFAULT_ROLLUP_SHARDS, 1, MAX_ROLLUP_SHARDS),
    archive,
    archiveDir: path.join(dataDir, 'archive'),
    archiveBucket: archive === 's3' ? archiveBucket(env) : null,
    archivePrefix: archive === 's3' ? archivePrefix(env) : '',
    archiveEncryption: archive === 's3' ? archiveEncryption(env) : { mode: 'AES256' },
    notifier,
    notificationsFile: path.join(dataDir, 'notifications.jsonl'),
    snsTopicArn: notifier === 'sns' ? snsTopicArn(env) : null,
    notifyWebhookUrl: optionalUrl(env, 'NOTIFY_WEBHOOK_URL'),
    outboxDelivery: oneOf(env, 'OUTBOX_DELIVERY', OUTBOX_DELIVERY_MODES, 'inline'),
    aiProvider,
    aiMode: oneOf(env, 'AI_MODE', AI_MODES, 'gray-zone'),
    aiTimeoutMs: numberIn(env, 'AI_TIMEOUT_MS', 2000, 50, MAX_AI_TIMEOUT_MS),
    bedrockModelId: bedrockModelId(env, aiProvider),
    bedrockEndpointUrl: aiProvider === 'bedrock' ? optionalUrl(env, 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME') : null,
    openai: aiProvider === 'openai' ? openaiSettings(env) : null,
    screening: {
      thresholds: { rejectBelow, approveFrom },
      velocity: {
        customerMaxOrders: numberIn(env, 'VELOCITY_CUSTOMER_MAX_ORDERS', defaults.velocity.customerMaxOrders, 1, 10_000),
        cardMaxOtherCustomers: numberIn(env, 'VELOCITY_CARD_MAX_OTHER_CUSTOMERS', defaults.velocity.cardMaxOtherCustomers, 0, 10_000),
        addressMaxOtherCustomers: numberIn(env, 'VELOCITY_ADDRESS_MAX_OTHER_CUSTOMERS', defaults.velocity.addressMaxOtherCustomers, 0, 10_000),
      },
    },
    velocityWindows: {
      customerSeconds: numberIn(env, 'VELOCITY_CUSTOMER_WINDOW_SECONDS', windows.customerSeconds, 1, 30 * 86_400),
      cardSeconds: numberIn(env, 'VELOCITY_CARD_WINDOW_SECONDS', windows.cardSeconds, 1, 30 * 86_400),
      addressSeconds: numberIn(env, 'VELOCITY_ADDRESS_WINDOW_SECONDS', windows.addressSeconds, 1, 30 * 86_400),
    },
    deployment: {
      region: env.AWS_REGION?.trim() || 'us-east-1',
      // Inside Lambda the runtime tells the configured memory; locally LAMBDA_MEMORY_MB says what will be deployed.
      lambdaMemoryMb: numberIn(env, 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', numberIn(env, 'LAMBDA_MEMORY_MB', 512, 128, 10_240), 128, 10_240),
      lambdaArchitecture: oneOf(env, 'LAMBDA_ARCHITECTURE', LAMBDA_ARCHITECTURES, 'arm64'),
      apiType: oneOf(env, 'API_TYPE', API_TYPES, 'HTTP'),
    },
    serviceName: env.POWERTOOLS_SERVICE_NAME?.trim() || 'order-processor',
  };
}
