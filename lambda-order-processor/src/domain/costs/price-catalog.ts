import catalogJson from './price-catalog.json' with { type: 'json' };
import type { UnitPrice } from './money.js';
import { decimalToFemtos } from './money.js';

/** One catalog price: `price` dollars (exact decimal string) for `per` units of `unit`. */
export interface CatalogPrice extends UnitPrice {
  id: string;
  service: string;
  description: string;
  unit: string;
  region: string;
  /** yyyy-mm-dd the price is known to apply from. */
  effective: string;
  /** Where the figure was read, so a reader can re-check it. */
  source: string;
  /** false when only one third-party page states the price. */
  confirmed: boolean;
}

export interface PriceCatalog {
  /** The price with this id; throws for an unknown id. */
  price(id: string): CatalogPrice;
  has(id: string): boolean;
  entries(): readonly CatalogPrice[];
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Validates a parsed catalog document and indexes it; errors name the offending entry. */
export function createPriceCatalog(json: unknown): PriceCatalog {
  if (!isRecord(json) || !Array.isArray(json.prices)) {
    throw new Error('Price catalog: expected an object with a "prices" array');
  }
  if (json.currency !== 'USD') throw new Error('Price catalog: currency must be "USD"');
  const byId = new Map<string, CatalogPrice>();
  json.prices.forEach((entry: unknown, index: number) => {
    const price = validateEntry(entry, index);
    if (byId.has(price.id)) throw new Error(`Price catalog entry ${index} ("${price.id}"): duplicate id`);
    byId.set(price.id, price);
  });
  const entries = Object.freeze([...byId.values()]);
  return {
    price(id) {
      const found = byId.get(id);
      if (!found) throw new Error(`Price catalog has no price "${id}"`);
      return found;
    },
    has: (id) => byId.has(id),
    entries: () => entries,
  };
}

function validateEntry(entry: unknown, index: number): CatalogPrice {
  const label = isRecord(entry) && typeof entry.id === 'string' ? `entry ${index} ("${entry.id}")` : `entry ${index}`;
  const fail = (problem: string): never => {
    throw new Error(`Price catalog ${label}: ${problem}`);
  };
  if (!isRecord(entry)) return fail('is not an object');
  const text = (field: string): string => {
    const value = entry[field];
    return typeof value === 'string' && value.trim() !== '' ? value : fail(`missing or empty "${field}"`);
  };
  const id = text('id');
  const service = text('service');
  const description = text('description');
  const unit = text('unit');
  const region = text('region');
  const source = text('source');
  const { price, per, effective, confirmed } = entry;
  if (typeof price !== 'string') return fail('"price" must be a decimal string');
  try {
    decimalToFemtos(price);
  } catch (error) {
    fail(`price ${(error as Error).message}`);
  }
  if (typeof per !== 'number' || !Number.isSafeInteger(per) || per <= 0) {
    return fail('"per" must be a positive integer');
  }
  if (typeof effective !== 'string' || !ISO_DAY.test(effective)) return fail('"effective" must be a yyyy-mm-dd date');
  if (typeof confirmed !== 'boolean') return fail('"confirmed" must be a boolean');
  return Object.freeze({ id, service, description, price, unit, per, region, effective, source, confirmed });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The project's price catalog (price-catalog.json), validated when this module loads. */
export const PRICE_CATALOG: PriceCatalog = createPriceCatalog(catalogJson);
