import { createHash } from 'node:crypto';
import type { Address } from './order.js';

/**
 * Velocity keys are fingerprints, not raw values: the card key combines the last four digits
 * with the normalised shipping address (last4 alone collides across strangers), and neither
 * key stores card digits or an address in clear.
 */
export interface VelocityKeys {
  customerId: string;
  email: string;
  /** Present for card payments only. */
  cardKey: string | null;
  addressKey: string;
}

/** One order's contribution to the velocity indexes, written atomically with the order. */
export interface VelocityEntry extends VelocityKeys {
  orderId: string;
  at: string;
}

/** Windows in seconds for each velocity check (configurable). */
export interface VelocityWindows {
  customerSeconds: number;
  cardSeconds: number;
  addressSeconds: number;
}

export interface VelocityQuery {
  keys: VelocityKeys;
  now: string;
  windows: VelocityWindows;
}

/** Activity seen before this order, within each window. "Other" counts exclude this order's own customer/email. */
export interface VelocitySnapshot {
  customerRecentOrders: number;
  cardOtherCustomers: number;
  cardOtherEmails: number;
  addressOtherCustomers: number;
}

function normalise(value: string): string {
  return value.trim().toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);
}

export function addressFingerprint(address: Address): string {
  return fingerprint(
    normalise(address.street),
    normalise(address.city),
    normalise(address.zipCode),
    normalise(address.country),
  );
}

export function velocityKeysFor(order: {
  customerId: string;
  customerEmail: string;
  cardLast4?: string;
  shippingAddress: Address;
}): VelocityKeys {
  const addressKey = addressFingerprint(order.shippingAddress);
  return {
    customerId: order.customerId,
    email: order.customerEmail.trim().toLowerCase(),
    cardKey: order.cardLast4 ? fingerprint('card', order.cardLast4, addressKey) : null,
    addressKey,
  };
}
