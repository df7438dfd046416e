import { ConfigError, loadConfig } from '@orderops/lambda-order-processor/config';
import type { OrderProcessorConfig } from '@orderops/lambda-order-processor/config';
import type { ConfigService } from '@nestjs/config';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsString, IsUrl, Max, Min, ValidateIf, validateSync } from 'class-validator';
import type { ValidationArguments } from 'class-validator';
import path from 'node:path';
import { COST_EXPLORER_METRICS, DEFAULT_COST_CACHE_TTL_SECONDS } from '../adapters/cost-explorer/cost-explorer-cost-source.js';
import type { CostExplorerMetric } from '../adapters/cost-explorer/cost-explorer-cost-source.js';

/**
 * Configuration of the analytics service, read from the environment in one place (ConfigModule's
 * `validate`). Every variable has a default for the local run; a bad value fails start-up with a
 * message naming the variable.
 */

export const STORE_ENGINES = ['sqlite', 'dynamodb'] as const;
export const COST_SOURCES = ['none', 'focus-file', 'cost-explorer'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The order processor's own variables for its DynamoDB store, read and checked by its loadConfig. */
const DYNAMODB_VARIABLES = ['ORDERS_TABLE', 'DYNAMODB_ENDPOINT', 'ROLLUP_SHARDS'] as const;

export type StoreEngine = (typeof STORE_ENGINES)[number];
export type CostSource = (typeof COST_SOURCES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The validated configuration, as the rest of the service reads it (see analyticsConfig). */
export interface AnalyticsConfig {
  port: number;
  host: string;
  /** Absolute DATA_DIR: the folder the order API writes. */
  dataDir: string;
  /** The order API's SQLite file inside DATA_DIR (the order processor decides its name). */
  sqliteFile: string;
  store: StoreEngine;
  /** STORE=dynamodb: the table the order API writes (the same variables as the order API), else null. */
  dynamodb: DynamoDbReadConfig | null;
  costSource: CostSource;
  /** Absolute path of the FOCUS/CUR export when COST_SOURCE=focus-file, else null. */
  costExportFile: string | null;
  /** The Cost Explorer source's settings when COST_SOURCE=cost-explorer, else null. */
  costExplorer: CostExplorerConfig | null;
  logLevel: LogLevel;
}

export interface DynamoDbReadConfig {
  /** ORDERS_TABLE (required with STORE=dynamodb). */
  tableName: string;
  /** DYNAMODB_ENDPOINT (DynamoDB Local, a VPC endpoint), else null: the regional endpoint. */
  endpoint: string | null;
  /** ROLLUP_SHARDS: the readers sum this many shards of each day's rollup (same value as the order API). */
  rollupShards: number;
  region: string;
}

export interface CostExplorerConfig {
  /** The cost-allocation tag every request is filtered on (COST_ALLOCATION_TAG_KEY=COST_ALLOCATION_TAG_VALUE). */
  tagKey: string;
  tagValue: string;
  metric: CostExplorerMetric;
  cacheTtlSeconds: number;
  /** The client's region (Cost Explorer itself answers from us-east-1 in the aws partition). */
  region: string;
  /** AWS_ENDPOINT_URL_COST_EXPLORER (the SDK's own variable name), else null: the AWS endpoint. */
  endpoint: string | null;
}

/** Where ConfigService holds the validated configuration. */
export const ANALYTICS_CONFIG_KEY = 'analytics';

function shown(args: ValidationArguments): string {
  return `${args.property}=${String(args.value)}`;
}

function oneOfMessage(allowed: readonly string[]) {
  return (args: ValidationArguments): string => `${shown(args)} is not supported; use one of: ${allowed.join(', ')}`;
}

/** Only digits become a number; anything else stays a string and fails the integer rule with its text. */
function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

/** The Cost Explorer settings are checked only when they are used. */
function usesCostExplorer(env: AnalyticsEnvironment): boolean {
  return env.COST_SOURCE === 'cost-explorer';
}

/** The schema: one property per environment variable, with its default. */
export class AnalyticsEnvironment {
  @Transform(toInteger)
  @IsInt({ message: (args) => `${shown(args)} must be an integer from 0 to 65535` })
  @Min(0, { message: (args) => `${shown(args)} must be an integer from 0 to 65535` })
  @Max(65535, { message: (args) => `${shown(args)} must be an integer from 0 to 65535` })
  ANALYTICS_PORT: number | string = 8080;

  @IsString()
  @IsNotEmpty({ message: 'ANALYTICS_HOST must not be empty' })
  ANALYTICS_HOST = '127.0.0.1';

  @IsString()
  @IsNotEmpty({ message: 'DATA_DIR must not be empty' })
  DATA_DIR = '.data';

  @IsIn(STORE_ENGINES, { message: oneOfMessage(STORE_ENGINES) })
  STORE: string = 'sqlite';

  @IsIn(COST_SOURCES, { message: oneOfMessage(COST_SOURCES) })
  COST_SOURCE: string = 'none';

  @ValidateIf((env: AnalyticsEnvironment) => env.COST_SOURCE === 'focus-file')
  @IsString({ message: 'COST_EXPORT_FILE is required when COST_SOURCE=focus-file (the path of a FOCUS 1.x or CUR 2.0 CSV export)' })
  @IsNotEmpty({ message: 'COST_EXPORT_FILE is required when COST_SOURCE=focus-file (the path of a FOCUS 1.x or CUR 2.0 CSV export)' })
  COST_EXPORT_FILE?: string;

  @IsString()
  COST_ALLOCATION_TAG_KEY = 'project';

  @IsString()
  COST_ALLOCATION_TAG_VALUE = 'orderops';

  @ValidateIf(usesCostExplorer)
  @IsIn(COST_EXPLORER_METRICS, { message: oneOfMessage(COST_EXPLORER_METRICS) })
  COST_EXPLORER_METRIC: string = 'UnblendedCost';

  @ValidateIf(usesCostExplorer)
  @Transform(toInteger)
  @IsInt({ message: (args) => `${shown(args)} must be a whole number of seconds (0 disables the cache)` })
  @Min(0, { message: (args) => `${shown(args)} must be a whole number of seconds (0 disables the cache)` })
  COST_CACHE_TTL_SECONDS: number | string = DEFAULT_COST_CACHE_TTL_SECONDS;

  @IsString()
  AWS_REGION = 'us-east-1';

  @ValidateIf((env: AnalyticsEnvironment) => usesCostExplorer(env) && env.AWS_ENDPOINT_URL_COST_EXPLORER !== undefined)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: (args) => `${shown(args)} must be an http(s) URL` })
  AWS_ENDPOINT_URL_COST_EXPLORER?: string;

  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(LOG_LEVELS, { message: oneOfMessage(LOG_LEVELS) })
  LOG_LEVEL: string = 'info';
}

export class AnalyticsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalyticsConfigError';
  }
}

const VARIABLES = Object.keys(new AnalyticsEnvironment()).concat('COST_EXPORT_FILE', 'AWS_ENDPOINT_URL_COST_EXPLORER', ...DYNAMODB_VARIABLES);

/**
 * ConfigModule's `validate`: the environment in, `{ analytics: AnalyticsConfig }` out. Unset and
 * blank variables take their defaults. LOG_LEVEL defaults to `silent` under NODE_ENV=test (jest).
 * Throws AnalyticsConfigError naming every bad variable.
 */
export function validate(env: Record<string, unknown>): { [ANALYTICS_CONFIG_KEY]: AnalyticsConfig } {
  const given: Record<string, string> = {};
  for (const name of VARIABLES) {
    const value = env[name];
    if (typeof value === 'string' && value.trim() !== '') given[name] = value.trim();
    else if (typeof value === 'number') given[name] = String(value);
  }
  if (given.LOG_LEVEL === undefined && env.NODE_ENV === 'test') given.LOG_LEVEL = 'silent';

  const parsed = plainToInstance(AnalyticsEnvironment, given);
  const errors = validateSync(parsed, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const messages = errors.flatMap((error) => Object.values(error.constraints ?? {}).slice(0, 1));
    throw new AnalyticsConfigError(`Invalid analytics configuration: ${messages.join('; ')}`);
  }

  // The order processor names the file inside DATA_DIR and checks its DynamoDB variables; ask it
  // rather than repeating either.
  const orderProcessor = orderProcessorConfig(parsed, given);
  return {
    [ANALYTICS_CONFIG_KEY]: {
      port: Number(parsed.ANALYTICS_PORT),
      host: parsed.ANALYTICS_HOST,
      dataDir: orderProcessor.dataDir,
      sqliteFile: orderProcessor.sqliteFile,
      store: parsed.STORE as StoreEngine,
      dynamodb:
        orderProcessor.store === 'dynamodb' && orderProcessor.ordersTable !== null
          ? {
              tableName: orderProcessor.ordersTable,
              endpoint: orderProcessor.dynamodbEndpointUrl,
              rollupShards: orderProcessor.rollupShards,
              region: orderProcessor.deployment.region,
            }
          : null,
      costSource: parsed.COST_SOURCE as CostSource,
      costExportFile: parsed.COST_SOURCE === 'focus-file' && parsed.COST_EXPORT_FILE ? path.resolve(parsed.COST_EXPORT_FILE) : null,
      costExplorer:
        parsed.COST_SOURCE === 'cost-explorer'
          ? {
              tagKey: parsed.COST_ALLOCATION_TAG_KEY,
              tagValue: parsed.COST_ALLOCATION_TAG_VALUE,
              metric: parsed.COST_EXPLORER_METRIC as CostExplorerMetric,
              cacheTtlSeconds: Number(parsed.COST_CACHE_TTL_SECONDS),
              region: parsed.AWS_REGION,
              endpoint: parsed.AWS_ENDPOINT_URL_COST_EXPLORER ?? null,
            }
          : null,
      logLevel: parsed.LOG_LEVEL as LogLevel,
    },
  };
}

/** The order processor's reading of the store variables; its ConfigError becomes an AnalyticsConfigError. */
function orderProcessorConfig(parsed: AnalyticsEnvironment, given: Readonly<Record<string, string>>): OrderProcessorConfig {
  const env: Record<string, string> = { DATA_DIR: parsed.DATA_DIR, STORE: parsed.STORE, AWS_REGION: parsed.AWS_REGION };
  if (parsed.STORE === 'dynamodb') {
    for (const name of DYNAMODB_VARIABLES) {
      const value = given[name];
      if (value !== undefined) env[name] = value;
    }
  }
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new AnalyticsConfigError(`Invalid analytics configuration: ${error.message}`);
    throw error;
  }
}

/** The validated configuration, from Nest's ConfigService. */
export function analyticsConfig(config: ConfigService): AnalyticsConfig {
  return config.getOrThrow<AnalyticsConfig>(ANALYTICS_CONFIG_KEY);
}
