import { GetCostAndUsageCommand, GetCostForecastCommand } from '@aws-sdk/client-cost-explorer';
import type { CostExplorerClient, Expression, GetCostAndUsageResponse, GetCostForecastResponse, MetricValue } from '@aws-sdk/client-cost-explorer';
import { femtosToNanos as toNanos, nanosToDollars } from '@orderops/lambda-order-processor/domain/costs/money';

import { addDays } from '../../domain/date-range.js';
import type { DateRange } from '../../domain/date-range.js';
import { actualCostsFromNanos } from '../../ports/cost-source.js';
import type { ActualCosts, BillingForecast, CostSource } from '../../ports/cost-source.js';
import { amountToFemtos } from '../focus-file/focus-file-cost-source.js';

/**
 * Actual costs and the billing forecast from AWS Cost Explorer (COST_SOURCE=cost-explorer), scoped to
 * the project's cost-allocation tag.
 *
 * actualCosts: GetCostAndUsage, DAILY, grouped by the SERVICE dimension, every page followed
 * (NextPageToken). Cost Explorer's End is exclusive, so a range of UTC days D1..D2 asks for
 * [D1, D2 + 1). Amounts arrive as decimal strings; each is parsed to integer femto-dollars and summed
 * exactly per service, then rounded once to nano-dollars (as the FOCUS/CUR file source does). Service
 * names are mapped by mapServiceName: Nova under "Amazon Bedrock", Anthropic models under their own
 * names ("Claude 3 Haiku (Amazon Bedrock Edition)"), CloudWatch as "AmazonCloudWatch".
 *
 * forecast: GetCostForecast, MONTHLY over the horizon, 80% prediction interval. The mean is Cost
 * Explorer's Total; the bounds are the sums of the per-month bounds (exact when the horizon lies in
 * one month; across two months the sum of quantiles is the wider, conservative interval). Cost
 * Explorer's DataUnavailableException (too little history) is null: no billing forecast yet.
 *
 * Every request costs $0.01 and Cost Explorer refreshes its data up to three times a day, so answers
 * are cached in memory for the TTL (default 6 hours), keyed by request; identical requests in flight
 * share one call; failures are not cached. Each answer says when it was fetched (cachedAt) and its age.
 */

/** The cost metric summed: list-price cost (UnblendedCost), or after discounts and credits (NetUnblendedCost). */
export const COST_EXPLORER_METRICS = ['UnblendedCost', 'NetUnblendedCost'] as const;
export type CostExplorerMetric = (typeof COST_EXPLORER_METRICS)[number];

const FORECAST_METRIC: Record<CostExplorerMetric, 'UNBLENDED_COST' | 'NET_UNBLENDED_COST'> = {
  UnblendedCost: 'UNBLENDED_COST',
  NetUnblendedCost: 'NET_UNBLENDED_COST',
};

export const DEFAULT_COST_CACHE_TTL_SECONDS = 6 * 60 * 60;
/** A runaway pagination (a token that never ends) is an error, not an infinite bill. */
const MAX_PAGES = 100;
/** Distinct ranges kept; the oldest is dropped beyond this. */
const MAX_CACHE_ENTRIES = 500;

export class CostExplorerError extends Error {
  /** The AWS error code (LimitExceededException, ...) or the error's name. */
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CostExplorerError';
    this.code = code;
  }
}

export interface CostExplorerCostSourceOptions {
  /** The cost-allocation tag the project's resources carry (key and value). */
  tagKey: string;
  tagValue: string;
  metric?: CostExplorerMetric;
  /** How long an answer is reused; 0 caches nothing (identical requests in flight still share one call). */
  cacheTtlSeconds?: number;
  /** The wall clock (tests move it). */
  now?: () => Date;
}

interface CacheEntry<T> {
  promise: Promise<T>;
  /** Epoch ms when the answer arrived; undefined while in flight. */
  settledAt?: number;
}

interface Fetched<T> {
  value: T;
  cachedAt: string;
  cacheAgeSeconds: number;
}

/** The shared conversion (money.ts), with this adapter's error when a total is out of range. */
function femtosToNanos(femtos: bigint): number {
  try {
    return toNanos(femtos);
  } catch {
    throw new CostExplorerError(`a total of ${femtos} femto-dollars is too large`, 'InvalidResponse');
  }
}

function femtosOf(text: string | undefined, what: string): bigint {
  const femtos = text === undefined ? null : amountToFemtos(text);
  if (femtos === null) throw new CostExplorerError(`Cost Explorer answered ${what} ${JSON.stringify(text)}, which is not an amount`, 'InvalidResponse');
  return femtos;
}

function checkUsd(value: MetricValue, what: string): void {
  if (value.Unit !== undefined && value.Unit.toUpperCase() !== 'USD') {
    throw new CostExplorerError(`Cost Explorer answered ${what} in ${value.Unit}; only USD is supported`, 'InvalidResponse');
  }
}

function awsCode(error: unknown): string {
  if (error instanceof Error) return error.name;
  return 'Error';
}

export class CostExplorerCostSource implements CostSource {
  private readonly metric: CostExplorerMetric;
  private readonly ttlMs: number;
  private readonly now: () => Date;
  private readonly cache = new Map<string, CacheEntry<unknown>>();

  constructor(
    private readonly client: CostExplorerClient,
    private readonly options: CostExplorerCostSourceOptions,
  ) {
    this.metric = options.metric ?? 'UnblendedCost';
    this.ttlMs = (options.cacheTtlSeconds ?? DEFAULT_COST_CACHE_TTL_SECONDS) * 1000;
    this.now = options.now ?? (() => new Date());
  }

  async actualCosts(range: DateRange): Promise<ActualCosts> {
    const { value, cachedAt, cacheAgeSeconds } = await this.cached(`costs:${range.startDate}:${range.endDate}`, () => this.fetchCosts(range));
    return { ...value, cachedAt, cacheAgeSeconds };
  }

  async forecast(horizon: DateRange): Promise<BillingForecast | null> {
    const { value, cachedAt, cacheAgeSeconds } = await this.cached(`forecast:${horizon.startDate}:${horizon.endDate}`, () => this.fetchForecast(horizon));
    return value === null ? null : { ...value, cachedAt, cacheAgeSeconds };
  }

  /** The tag filter every request carries. */
  private filter(): Expression {
    return { Tags: { Key: this.options.tagKey, Values: [this.options.tagValue], MatchOptions: ['EQUALS'] } };
  }

  private async fetchCosts(range: DateRange): Promise<ActualCosts> {
    const femtosByService = new Map<string, bigint>();
    const estimatedDays: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      if (++pages > MAX_PAGES) throw new CostExplorerError(`GetCostAndUsage returned more than ${MAX_PAGES} pages`, 'InvalidResponse');
      const page: GetCostAndUsageResponse = await this.send('GetCostAndUsage', () =>
        this.client.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: range.startDate, End: addDays(range.endDate, 1) },
            Granularity: 'DAILY',
            Metrics: [this.metric],
            GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
            Filter: this.filter(),
            ...(token === undefined ? {} : { NextPageToken: token }),
          }),
        ),
      );
      for (const result of page.ResultsByTime ?? []) {
        const day = result.TimePeriod?.Start ?? '?';
        if (result.Estimated === true && !estimatedDays.includes(day)) estimatedDays.push(day);
        for (const group of result.Groups ?? []) {
          const service = group.Keys?.[0]?.trim() || '(no service)';
          const value = group.Metrics?.[this.metric];
          if (value === undefined) throw new CostExplorerError(`GetCostAndUsage answered no ${this.metric} for ${service} on ${day}`, 'InvalidResponse');
          checkUsd(value, `${service} on ${day}`);
          const femtos = femtosOf(value.Amount, `${this.metric} of ${service} on ${day}`);
          femtosByService.set(service, (femtosByService.get(service) ?? 0n) + femtos);
        }
      }
      const next = page.NextPageToken === '' ? undefined : page.NextPageToken;
      if (next !== undefined && next === token) throw new CostExplorerError('GetCostAndUsage returned the same NextPageToken twice', 'InvalidResponse');
      token = next;
    } while (token !== undefined);

    const nanosByService = new Map([...femtosByService].map(([service, femtos]) => [service, femtosToNanos(femtos)]));
    estimatedDays.sort();
    const reason =
      estimatedDays.length === 0
        ? undefined
        : `Cost Explorer marks ${estimatedDays.length === 1 ? `${estimatedDays[0] ?? ''} as estimated` : `${estimatedDays.length} days (${estimatedDays[0] ?? ''} to ${estimatedDays[estimatedDays.length - 1] ?? ''}) as estimated`}: its data lags up to 24 hours`;
    return actualCostsFromNanos('cost-explorer', range, nanosByService, reason);
  }

  private async fetchForecast(horizon: DateRange): Promise<Omit<BillingForecast, 'cachedAt' | 'cacheAgeSeconds'> | null> {
    let response: GetCostForecastResponse;
    try {
      response = await this.send('GetCostForecast', () =>
        this.client.send(
          new GetCostForecastCommand({
            TimePeriod: { Start: horizon.startDate, End: addDays(horizon.endDate, 1) },
            Metric: FORECAST_METRIC[this.metric],
            Granularity: 'MONTHLY',
            PredictionIntervalLevel: 80,
            Filter: this.filter(),
          }),
        ),
      );
    } catch (error) {
      // Too little billing history to forecast: no billing forecast yet, the caller computes one.
      if (error instanceof CostExplorerError && error.code === 'DataUnavailableException') return null;
      throw error;
    }
    const total = response.Total;
    if (total === undefined) throw new CostExplorerError('GetCostForecast answered no Total', 'InvalidResponse');
    checkUsd(total, 'the forecast');
    const periods = response.ForecastResultsByTime ?? [];
    if (periods.length === 0) throw new CostExplorerError('GetCostForecast answered no ForecastResultsByTime', 'InvalidResponse');
    let lower = 0n;
    let upper = 0n;
    for (const period of periods) {
      const start = period.TimePeriod?.Start ?? '?';
      lower += femtosOf(period.PredictionIntervalLowerBound, `the lower bound of ${start}`);
      upper += femtosOf(period.PredictionIntervalUpperBound, `the upper bound of ${start}`);
    }
    const dollars = (femtos: bigint): number => nanosToDollars(femtosToNanos(femtos));
    return {
      startDate: horizon.startDate,
      endDate: horizon.endDate,
      forecastedCost: dollars(femtosOf(total.Amount, 'the forecast total')),
      lower80: dollars(lower < 0n ? 0n : lower),
      upper80: dollars(upper),
    };
  }

  /** One Cost Explorer call; any failure becomes a CostExplorerError naming the operation and the AWS code. */
  private async send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof CostExplorerError) throw error;
      const code = awsCode(error);
      const message = error instanceof Error ? error.message : String(error);
      throw new CostExplorerError(`Cost Explorer ${operation} failed: ${code}: ${message}`, code, { cause: error });
    }
  }

  /** The cached answer of `key` within the TTL, else a fresh one; callers of a request in flight share it. */
  private async cached<T>(key: string, fetch: () => Promise<T>): Promise<Fetched<T>> {
    const now = this.now().getTime();
    let entry = this.cache.get(key) as CacheEntry<T> | undefined;
    if (entry?.settledAt !== undefined && now - entry.settledAt >= this.ttlMs) {
      this.cache.delete(key);
      entry = undefined;
    }
    if (entry === undefined) {
      const fresh: CacheEntry<T> = {
        promise: fetch().then(
          (value) => {
            fresh.settledAt = this.now().getTime();
            return value;
          },
          (error: unknown) => {
            if (this.cache.get(key) === fresh) this.cache.delete(key);
            throw error;
          },
        ),
      };
      entry = fresh;
      this.cache.set(key, fresh);
      this.evictOldest();
    }
    const value = await entry.promise;
    const settledAt = entry.settledAt ?? this.now().getTime();
    return {
      value,
      cachedAt: new Date(settledAt).toISOString(),
      cacheAgeSeconds: Math.max(0, Math.floor((this.now().getTime() - settledAt) / 1000)),
    };
  }

  private evictOldest(): void {
    while (this.cache.size > MAX_CACHE_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) return;
      this.cache.delete(oldest.value);
    }
  }
}
