import { addressRule } from './address.js';
import { countryMismatchRule } from './country-mismatch.js';
import { customerHistoryRule } from './customer-history.js';
import { emailRule } from './email.js';
import { orderValueRule } from './order-value.js';
import { productRule } from './product.js';
import { quantityRule } from './quantity.js';
import type { SignalRule } from './signal.js';
import { timingRule } from './timing.js';
import { addressSharedRule, cardSharedRule, customerBurstRule } from './velocity.js';

/** Every rule the screening runs, in the order their signals are reported. */
export const RULES: readonly SignalRule[] = [
  customerHistoryRule,
  orderValueRule,
  quantityRule,
  productRule,
  emailRule,
  addressRule,
  countryMismatchRule,
  timingRule,
  customerBurstRule,
  cardSharedRule,
  addressSharedRule,
];
