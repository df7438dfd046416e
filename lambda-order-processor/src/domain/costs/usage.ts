import type { AiUsage } from '../order/order.js';

export const LAMBDA_ARCHITECTURES = ['arm64', 'x86_64'] as const;
export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];

export const API_TYPES = ['HTTP', 'REST'] as const;
export type ApiType = (typeof API_TYPES)[number];

/**
 * How the order path is deployed on AWS. The local run prices orders with the same profile,
 * so its cost figures mean what they will mean after deploying.
 */
export interface DeploymentProfile {
  region: string;
  lambdaMemoryMb: number;
  lambdaArchitecture: LambdaArchitecture;
  apiType: ApiType;
}

/** DynamoDB request units an operation consumed (or, on SQLite, would consume on DynamoDB). */
export interface RequestUnits {
  readUnits: number;
  writeUnits: number;
}

/** What processing one request measurably used; the cost model multiplies it by catalog prices. */
export interface OrderUsage {
  deployment: DeploymentProfile;
  /** Handler wall time in ms up to the commit point (fractional; billing rounds up). */
  handlerDurationMs: number;
  requestUnits: RequestUnits;
  archivePuts: number;
  notifications: number;
  /** Bytes of CloudWatch log / EMF output attributable to the request. */
  logBytes: number;
  ai: AiUsage | null;
}
