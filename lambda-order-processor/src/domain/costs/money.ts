/**
 * Exact money arithmetic. Prices are decimal strings converted to integer femto-dollars (1e-15 $)
 * so sub-nano unit prices (Lambda arm64 is 13.3334 nano-dollars per GB-ms) stay exact; a cost line
 * is an exact rational in bigint and is rounded once, half up, to integer nano-dollars. Stored money
 * is integer nano-dollars as JS numbers, so sums of safe integers are exact.
 */

export const NANOS_PER_DOLLAR = 1_000_000_000;
const FEMTO_DECIMALS = 15;
const FEMTOS_PER_NANO = 1_000_000n;
const DECIMAL = /^\d+(\.\d+)?$/;

/** A price as the catalog states it: `price` dollars for `per` units. */
export interface UnitPrice {
  price: string;
  per: number;
}

/** An exact non-negative quantity numerator / denominator (e.g. 3 RRU / 2 for 1.5 RRU). */
export interface Quantity {
  numerator: bigint;
  denominator: bigint;
}

export interface PricedQuantity {
  price: UnitPrice;
  quantity: Quantity;
}

/**
 * Prices already converted: every order prices the same few catalog strings (issue 6 profile:
 * converting them again on each order, regex, split and BigInt, was 1% of the order API's main thread).
 * Bounded, as the strings come from the catalog; anything beyond is converted without caching.
 */
const femtosByDecimal = new Map<string, bigint>();
const MAX_CACHED_DECIMALS = 1_000;

/** Converts a plain decimal dollar string ("0.0000133334") to integer femto-dollars, exactly. */
export function decimalToFemtos(text: string): bigint {
  const cached = femtosByDecimal.get(text);
  if (cached !== undefined) return cached;
  if (!DECIMAL.test(text)) throw new Error(`"${text}" is not a plain decimal number`);
  const [whole = '', fraction = ''] = text.split('.');
  if (fraction.length > FEMTO_DECIMALS) {
    throw new Error(`"${text}" has more than ${FEMTO_DECIMALS} decimal places`);
  }
  const femtos = BigInt(whole + fraction.padEnd(FEMTO_DECIMALS, '0'));
  if (femtosByDecimal.size < MAX_CACHED_DECIMALS) femtosByDecimal.set(text, femtos);
  return femtos;
}

export function quantity(numerator: bigint | number, denominator: bigint | number = 1n): Quantity {
  const result = { numerator: toBigInt(numerator), denominator: toBigInt(denominator) };
  if (result.numerator < 0n) throw new Error(`Quantity must not be negative: ${result.numerator}`);
  if (result.denominator <= 0n) throw new Error(`Quantity denominator must be positive: ${result.denominator}`);
  return result;
}

/**
 * The exact quantity a finite JS number holds. Every double is a dyadic rational, so doubling
 * until it is an integer terminates and loses nothing (1.5 -> 3/2, 0.5 -> 1/2).
 */
export function exactQuantity(value: number): Quantity {
  if (!Number.isFinite(value) || value < 0) throw new Error(`Quantity must be a finite non-negative number: ${value}`);
  let numerator = value;
  let denominator = 1n;
  while (!Number.isInteger(numerator)) {
    numerator *= 2;
    denominator *= 2n;
  }
  return quantity(BigInt(numerator), denominator);
}

/** The cost of one service line in integer nano-dollars: exact sum of its terms, rounded once, half up. */
export function lineCostNanos(terms: readonly PricedQuantity[]): number {
  // Exact femto-dollar sum as numerator / denominator.
  let numerator = 0n;
  let denominator = 1n;
  for (const { price, quantity: amount } of terms) {
    const termNumerator = amount.numerator * decimalToFemtos(price.price);
    const termDenominator = amount.denominator * BigInt(price.per);
    numerator = numerator * termDenominator + termNumerator * denominator;
    denominator *= termDenominator;
  }
  return assertNanos(Number(roundHalfUp(numerator, denominator * FEMTOS_PER_NANO)));
}

export function costNanos(price: UnitPrice, amount: Quantity): number {
  return lineCostNanos([{ price, quantity: amount }]);
}

/** Exact sum of integer nano-dollar amounts. */
export function sumNanos(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += assertNanos(value);
  return assertNanos(total);
}

/**
 * Nano-dollars to dollars for API output. IEEE division is correctly rounded and both operands are
 * exact, so the result is the double nearest the exact decimal (13000 -> 0.000013), the same
 * number `Number("0.000013")` gives.
 */
export function nanosToDollars(nanos: number): number {
  return assertNanos(nanos) / NANOS_PER_DOLLAR;
}

export function assertNanos(value: number): number {
  if (!Number.isSafeInteger(value)) throw new Error(`Nano-dollar amount is not a safe integer: ${value}`);
  return value;
}

/**
 * Femto-dollars (signed: bills carry credits) to integer nano-dollars, half away from zero.
 * Throws RangeError when the amount is beyond a safe integer of nano-dollars (about $9 million).
 */
export function femtosToNanos(femtos: bigint): number {
  const magnitude = femtos < 0n ? -femtos : femtos;
  const nanos = roundHalfUp(magnitude, FEMTOS_PER_NANO);
  const value = Number(femtos < 0n ? -nanos : nanos);
  if (!Number.isSafeInteger(value)) throw new RangeError(`${femtos} femto-dollars is beyond a safe nano-dollar amount`);
  return value;
}

function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

function toBigInt(value: bigint | number): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new Error(`Quantity part is not a safe integer: ${value}`);
  return BigInt(value);
}
