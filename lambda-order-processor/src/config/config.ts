import path from 'node:path';
import { API_TYPES, LAMBDA_ARCHITECTURES, type DeploymentProfile } from '../domain/costs/usage.js';
import { DEFAULT_SCREENING_SETTINGS, DEFAULT_VELOCITY_WINDOWS } from '../domain/scoring/screen.js';
import type { ScreeningSettings } from '../domain/signals/signal.js';
import type { VelocityWindows } from '../domain/order/velocity.js';

/**
 * Configuration of the order processor, read from the environment in one place (the composition
 * root calls loadConfig). Every variable has a default for the local run; a bad value fails start-up
 * with a message naming the variable, never a half-configured process.
 */

export const STORE_ENGINES = ['sqlite'] as const;
export const ARCHIVE_KINDS = ['fs'] as const;
export const NOTIFIER_KINDS = ['file'] as const;
export const AI_PROVIDERS = ['none'] as const;
export const AI_MODES = ['gray-zone', 'always', 'never'] as const;
/** Where recorded events are delivered: in the request thread, or (local server) in a worker thread. */
export const OUTBOX_DELIVERY_MODES = ['inline', 'worker'] as const;

export interface OrderProcessorConfig {
  store: (typeof STORE_ENGINES)[number];
  dataDir: string;
  sqliteFile: string;
  archive: (typeof ARCHIVE_KINDS)[number];
  archiveDir: string;
  notifier: (typeof NOTIFIER_KINDS)[number];
  notificationsFile: string;
  notifyWebhookUrl: string | null;
  outboxDelivery: (typeof OUTBOX_DELIVERY_MODES)[number];
  aiProvider: (typeof AI_PROVIDERS)[number];
  aiMode: (typeof AI_MODES)[number];
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

export function loadConfig(env: Env = process.env): OrderProcessorConfig {
  const dataDir = path.resolve(env.DATA_DIR?.trim() || '.data');
  const defaults = DEFAULT_SCREENING_SETTINGS;
  const windows = DEFAULT_VELOCITY_WINDOWS;
  const rejectBelow = numberIn(env, 'REJECT_BELOW_SCORE', defaults.thresholds.rejectBelow, 0, 10, false);
  const approveFrom = numberIn(env, 'APPROVE_FROM_SCORE', defaults.thresholds.approveFrom, 0, 10, false);
  if (rejectBelow > approveFrom) {
    throw new ConfigError(`REJECT_BELOW_SCORE (${rejectBelow}) must not exceed APPROVE_FROM_SCORE (${approveFrom})`);
  }
  return {
    store: oneOf(env, 'STORE', STORE_ENGINES, 'sqlite'),
    dataDir,
    sqliteFile: path.join(dataDir, 'orderops.sqlite'),
    archive: oneOf(env, 'ARCHIVE', ARCHIVE_KINDS, 'fs'),
    archiveDir: path.join(dataDir, 'archive'),
    notifier: oneOf(env, 'NOTIFIER', NOTIFIER_KINDS, 'file'),
    notificationsFile: path.join(dataDir, 'notifications.jsonl'),
    notifyWebhookUrl: optionalUrl(env, 'NOTIFY_WEBHOOK_URL'),
    outboxDelivery: oneOf(env, 'OUTBOX_DELIVERY', OUTBOX_DELIVERY_MODES, 'inline'),
    aiProvider: oneOf(env, 'AI_PROVIDER', AI_PROVIDERS, 'none'),
    aiMode: oneOf(env, 'AI_MODE', AI_MODES, 'gray-zone'),
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
