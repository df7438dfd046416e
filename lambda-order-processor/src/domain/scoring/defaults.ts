import type { VelocityWindows } from '../order/velocity.js';
import type { ScreeningSettings } from '../signals/signal.js';

/**
 * The screening defaults (thresholds, velocity limits and windows), apart from the rules themselves:
 * configuration reads them without loading every signal module (and their data, such as the
 * disposable-domain list), which keeps the events Lambda bundle small.
 */

export const DEFAULT_SCREENING_SETTINGS: ScreeningSettings = {
  thresholds: { rejectBelow: 4, approveFrom: 7 },
  velocity: {
    // The 4th order within the customer window fires.
    customerMaxOrders: 3,
    // One other customer on the same card and address is a household; two is card testing.
    cardMaxOtherCustomers: 1,
    // Offices and apartment blocks receive for a few customers; more is a drop address.
    addressMaxOtherCustomers: 3,
  },
};

export const DEFAULT_VELOCITY_WINDOWS: VelocityWindows = {
  customerSeconds: 10 * 60,
  cardSeconds: 60 * 60,
  addressSeconds: 24 * 60 * 60,
};
