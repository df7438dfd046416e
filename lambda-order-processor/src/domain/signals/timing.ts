import { riskSignal } from './reason.js';
import type { SignalRule } from './signal.js';

export const TIMING_NIGHT = 'TIMING_NIGHT';

/** Orders placed from 00:00 up to (not including) this local hour count as night orders. */
export const NIGHT_ENDS_AT_HOUR = 6;
export const NIGHT_POINTS = -0.5;

/**
 * The local wall-clock time is read from the ISO string itself (the part before the offset),
 * so the customer's timezone counts, not the server's. Without placedAt there is no signal:
 * the server's clock says nothing about the customer's local time.
 */
const LOCAL_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2})/;

export const timingRule: SignalRule = (context) => {
  const placedAt = context.order.placedAt;
  if (placedAt === undefined) return [];
  const match = LOCAL_TIME_PATTERN.exec(placedAt);
  if (match === null) return [];
  const [, hours = '', minutes = ''] = match;
  if (Number(hours) >= NIGHT_ENDS_AT_HOUR) return [];
  return [riskSignal(TIMING_NIGHT, NIGHT_POINTS, 'Timing', `placed at ${hours}:${minutes} local time`)];
};
