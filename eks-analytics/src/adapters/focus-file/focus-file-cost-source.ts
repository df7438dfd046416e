import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import type { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';

import { parse } from 'csv-parse';
import { femtosToNanos as toNanos } from '@orderops/lambda-order-processor/domain/costs/money';

import { isCalendarDay } from '../../domain/date-range.js';
import type { DateRange } from '../../domain/date-range.js';
import { actualCostsFromNanos, unavailableCosts } from '../../ports/cost-source.js';
import type { ActualCosts, CostSource } from '../../ports/cost-source.js';

/**
 * Actual costs from a billing export file: FOCUS 1.x (AWS Data Exports "FOCUS 1.0/1.2 with AWS
 * columns", or any FOCUS producer), AWS CUR 2.0, or legacy CUR, as CSV (optionally gzip, by the
 * `.gz` extension). The format is detected from the header. The file is streamed and re-read on
 * every call, so a refreshed export is picked up without a restart.
 *
 * Rows count when their charge period starts on a UTC day of the range (both ends inclusive); the
 * cost (FOCUS BilledCost, CUR unblended cost, credits and refunds negative) is summed exactly:
 * each amount is parsed from its decimal text to integer femto-dollars (1e-15 $) with bigint, the
 * sums are rounded once per service to nano-dollars, half away from zero, and converted to dollars
 * once. Use an export with daily or hourly granularity: a monthly row counts on the month's first day.
 *
 * Only USD is summed: a row of the range in another currency is an error (a partial sum would be a
 * made-up number). When the export's rows do not reach the whole range, the answer says so in
 * `reason`; when they do not overlap it at all, the costs are unavailable.
 */

export class CostExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostExportError';
  }
}

export type CostExportFormatName = 'FOCUS' | 'CUR 2.0' | 'legacy CUR';

interface FormatSpec {
  name: CostExportFormatName;
  /** The column whose presence identifies the format. */
  cost: string;
  date: string;
  /** Columns naming the service, best first; at least one must exist. */
  service: readonly string[];
  currency: string;
}

const FORMATS: readonly FormatSpec[] = [
  { name: 'FOCUS', cost: 'BilledCost', date: 'ChargePeriodStart', service: ['ServiceName'], currency: 'BillingCurrency' },
  {
    name: 'CUR 2.0',
    cost: 'line_item_unblended_cost',
    date: 'line_item_usage_start_date',
    // product_name is a key of the `product` map column; exports that select it as a column name it product_product_name.
    service: ['product_product_name', 'product_name', 'product', 'line_item_product_code', 'product_servicecode'],
    currency: 'line_item_currency_code',
  },
  {
    name: 'legacy CUR',
    cost: 'lineItem/UnblendedCost',
    date: 'lineItem/UsageStartDate',
    service: ['product/ProductName', 'lineItem/ProductCode', 'product/servicecode'],
    currency: 'lineItem/CurrencyCode',
  },
];

const EXPECTED_COLUMNS =
  'FOCUS 1.x columns ServiceName, BilledCost, ChargePeriodStart (and BillingCurrency), or AWS CUR 2.0 columns ' +
  'line_item_usage_start_date, line_item_unblended_cost, line_item_currency_code and one of product_product_name, product, line_item_product_code';

/** Column positions of a detected format. */
interface Layout {
  format: CostExportFormatName;
  cost: number;
  date: number;
  /** [column name, position] of the service columns present, best first. */
  service: ReadonlyArray<readonly [string, number]>;
  currency: number | null;
  costColumn: string;
  dateColumn: string;
  currencyColumn: string;
}

export function detectLayout(header: readonly string[]): Layout {
  const position = new Map(header.map((name, index) => [name.trim(), index]));
  const spec = FORMATS.find((format) => position.has(format.cost));
  if (!spec) throw new CostExportError(`unrecognised header (${header.slice(0, 8).join(', ')}${header.length > 8 ? ', ...' : ''}); expected ${EXPECTED_COLUMNS}`);
  const service = spec.service.flatMap((name) => {
    const index = position.get(name);
    return index === undefined ? [] : [[name, index] as const];
  });
  const missing = [
    ...(position.has(spec.date) ? [] : [spec.date]),
    ...(service.length > 0 ? [] : [spec.service.join(' or ')]),
  ];
  if (missing.length > 0) throw new CostExportError(`the ${spec.name} header lacks ${missing.join(' and ')}; expected ${EXPECTED_COLUMNS}`);
  return {
    format: spec.name,
    cost: position.get(spec.cost) ?? -1,
    date: position.get(spec.date) ?? -1,
    service,
    currency: position.get(spec.currency) ?? null,
    costColumn: spec.cost,
    dateColumn: spec.date,
    currencyColumn: spec.currency,
  };
}

const FEMTO_DECIMALS = 15;
/** Plain or scientific decimal: "12", "-0.0000001", ".5", "1.2E-7". */
const AMOUNT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;
const MAX_EXPONENT = 40;

/**
 * Integer femto-dollars of a decimal amount, exactly (digits beyond the 15th decimal are rounded
 * half away from zero, far below the nano-dollar the API reports). Null when it is not a number.
 * The order processor's decimalToFemtos reads prices (plain, non-negative); bills also carry
 * credits (negative) and scientific notation, hence this reader.
 */
export function amountToFemtos(text: string): bigint | null {
  const match = AMOUNT.exec(text.trim());
  if (!match) return null;
  const [, sign, whole = '', fraction = '', exponentText] = match;
  if (whole === '' && fraction === '') return null;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return null;
  const digits = BigInt(whole + fraction);
  const shift = FEMTO_DECIMALS - fraction.length + exponent;
  let femtos: bigint;
  if (shift >= 0) {
    femtos = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    femtos = (2n * digits + divisor) / (2n * divisor);
  }
  return sign === '-' ? -femtos : femtos;
}

/** The shared conversion (money.ts), with this adapter's error when a total is out of range. */
function femtosToNanos(femtos: bigint): number {
  try {
    return toNanos(femtos);
  } catch {
    throw new CostExportError(`a service total of ${femtos} femto-dollars is too large`);
  }
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|UTC|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * UTC day of a charge period start: "2026-03-01", "2026-03-01T00:00:00Z", "2026-03-01 00:00:00.000",
 * "2026-03-01T00:00:00-05:00". A time without an offset is UTC (as AWS writes them). Null when unreadable.
 */
export function utcDayOf(text: string): string | null {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return null;
  const [, day = '', time, offset] = match;
  if (!isCalendarDay(day)) return null;
  if (time === undefined || offset === undefined || /^(Z|UTC|[+-]00:?00)$/i.test(offset)) return day;
  const normalizedOffset = offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const ms = Date.parse(`${day}T${time.length === 5 ? `${time}:00` : time}${normalizedOffset}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

/** The service a row is billed under: the first non-empty service column (a CUR 2.0 `product` map gives its product_name). */
function serviceOf(record: readonly string[], layout: Layout): string {
  for (const [column, index] of layout.service) {
    const raw = (record[index] ?? '').trim();
    const value = column === 'product' ? productNameFromMap(raw) : raw;
    if (value) return value;
  }
  return '(no service)';
}

/** product_name from a CUR 2.0 `product` map cell: JSON ({"product_name":"AWS Lambda",...}) or key=value text. */
function productNameFromMap(cell: string): string {
  if (cell === '') return '';
  try {
    const parsed: unknown = JSON.parse(cell);
    if (parsed && typeof parsed === 'object' && 'product_name' in parsed) {
      const name = (parsed as { product_name: unknown }).product_name;
      return typeof name === 'string' ? name.trim() : '';
    }
    return '';
  } catch {
    const match = /product_name\s*[=:]\s*"?([^",}]*)/.exec(cell);
    return match?.[1]?.trim() ?? '';
  }
}

export interface CostExportSums {
  format: CostExportFormatName;
  /** Exact integer nano-dollars by bill service name, for the rows in the range. */
  nanosByService: Map<string, number>;
  rows: number;
  rowsInRange: number;
  /** First and last charge day of the whole file, null when it has no rows. */
  firstDay: string | null;
  lastDay: string | null;
}

interface ParsedRow {
  record: string[];
  line: number;
}

function isParsedRow(value: unknown): value is { record: string[]; info: { lines: number } } {
  return typeof value === 'object' && value !== null && 'record' in value && 'info' in value && Array.isArray((value as { record: unknown }).record);
}

async function* rowsOf(file: string): AsyncGenerator<ParsedRow> {
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, relax_quotes: false });
  const stages: Array<Readable | Transform> = [createReadStream(file)];
  if (file.endsWith('.gz')) stages.push(createGunzip());
  // Errors of any stage (unreadable file, bad gzip, CSV syntax) reach the parser and end the loop below.
  pipeline([...stages, parser], () => undefined);
  for await (const item of parser as AsyncIterable<unknown>) {
    if (!isParsedRow(item)) throw new CostExportError('unexpected CSV parser output');
    yield { record: item.record, line: item.info.lines };
  }
}

/** Sums an export's costs by service for the range. Throws CostExportError with the file and line. */
export async function sumCostExport(file: string, range: DateRange): Promise<CostExportSums> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new CostExportError(`cost export ${file} is not a file`);
  } catch (error) {
    if (error instanceof CostExportError) throw error;
    throw new CostExportError(`cost export file not found: ${file}`);
  }

  let layout: Layout | null = null;
  const femtosByService = new Map<string, bigint>();
  let rows = 0;
  let rowsInRange = 0;
  let firstDay: string | null = null;
  let lastDay: string | null = null;
  try {
    for await (const { record, line } of rowsOf(file)) {
      if (layout === null) {
        layout = detectLayout(record);
        continue;
      }
      rows++;
      const dateText = record[layout.date] ?? '';
      const day = utcDayOf(dateText);
      if (day === null) throw new CostExportError(`line ${line}: ${layout.dateColumn} "${dateText}" is not a date`);
      if (firstDay === null || day < firstDay) firstDay = day;
      if (lastDay === null || day > lastDay) lastDay = day;
      if (day < range.startDate || day > range.endDate) continue;

      const costText = record[layout.cost] ?? '';
      const femtos = amountToFemtos(costText);
      if (femtos === null) throw new CostExportError(`line ${line}: ${layout.costColumn} "${costText}" is not a number`);
      const currency = layout.currency === null ? '' : (record[layout.currency] ?? '').trim();
      if (currency !== '' && currency.toUpperCase() !== 'USD') {
        throw new CostExportError(`line ${line}: ${layout.currencyColumn} is ${currency}; only USD exports are supported`);
      }
      rowsInRange++;
      const service = serviceOf(record, layout);
      femtosByService.set(service, (femtosByService.get(service) ?? 0n) + femtos);
    }
  } catch (error) {
    if (error instanceof CostExportError) throw new CostExportError(`${file}: ${error.message}`);
    throw new CostExportError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (layout === null) throw new CostExportError(`${file}: the file is empty; expected a header with ${EXPECTED_COLUMNS}`);
  const nanosByService = new Map([...femtosByService].map(([service, femtos]) => [service, femtosToNanos(femtos)]));
  return { format: layout.format, nanosByService, rows, rowsInRange, firstDay, lastDay };
}

/** The `focus-file` cost source (COST_SOURCE=focus-file, COST_EXPORT_FILE=path). */
export class FocusFileCostSource implements CostSource {
  constructor(private readonly file: string) {}

  async actualCosts(range: DateRange): Promise<ActualCosts> {
    const sums = await sumCostExport(this.file, range);
    const { firstDay, lastDay } = sums;
    if (firstDay === null || lastDay === null) {
      return unavailableCosts(range, `the cost export ${this.file} has no cost rows`);
    }
    if (lastDay < range.startDate || firstDay > range.endDate) {
      return unavailableCosts(range, `the cost export covers ${firstDay} to ${lastDay}, not ${range.startDate} to ${range.endDate}`);
    }
    const partial = firstDay > range.startDate || lastDay < range.endDate;
    const reason = partial
      ? `the cost export covers ${firstDay} to ${lastDay}; days of ${range.startDate} to ${range.endDate} outside it are not counted`
      : undefined;
    return actualCostsFromNanos('focus-file', range, sums.nanosByService, reason);
  }
}
