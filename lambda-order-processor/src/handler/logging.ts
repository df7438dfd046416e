import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { redactingJsonReplacer } from '../domain/privacy/redaction.js';

/**
 * The Powertools Logger of every OrderOps Lambda: JSON lines whose string values are redacted
 * (emails masked, card numbers cut to their last four digits) whatever the key or depth, so no
 * log line can carry them in the clear. The level comes from POWERTOOLS_LOG_LEVEL unless given.
 */
export function createLogger(serviceName: string, options: { logLevel?: LogLevel } = {}): Logger {
  return new Logger({ ...options, serviceName, jsonReplacerFn: redactingJsonReplacer });
}
