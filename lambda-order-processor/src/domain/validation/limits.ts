/**
 * Every size and range the order API accepts (SPEC section 2), in one place.
 * Lengths count UTF-16 code units of the string as sent.
 */

/** Request bodies above this many bytes are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Containers (objects/arrays) nested deeper than this are refused before any DTO is built. */
export const MAX_NESTING_DEPTH = 8;

/** orderId and customerId double as file names and store keys. */
export const IDENTIFIER_MAX_LENGTH = 64;
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export const EMAIL_MAX_LENGTH = 254;

export const ITEMS_MIN = 1;
export const ITEMS_MAX = 100;

export const QUANTITY_MIN = 1;
export const QUANTITY_MAX = 10_000;

/** price and totalAmount: dollars, > 0, at most this much, at most MONEY_DECIMALS decimals. */
export const MONEY_MAX = 10_000_000;
export const MONEY_DECIMALS = 2;

export const ORDER_HISTORY_MIN = 0;
export const ORDER_HISTORY_MAX = 1_000_000;

/** Caps for free-text fields. */
export const TEXT_MAX_LENGTH = {
  productId: 64,
  itemName: 200,
  category: 50,
  street: 200,
  city: 100,
  state: 100,
  zipCode: 20,
  country: 60,
  poNumber: 64,
  reviewer: 100,
  note: 1000,
} as const;

export const CARD_LAST4_PATTERN = /^[0-9]{4}$/;

/** placedAt may run ahead of the server clock by this much (client clock skew), no more. */
export const PLACED_AT_MAX_FUTURE_MS = 5 * 60 * 1000;
