import type { CostBreakdown } from '../order/order.js';

export function zeroCost(): CostBreakdown {
  return { bedrock: 0, lambda: 0, dynamodb: 0, s3: 0, sns: 0, apiGateway: 0, cloudwatch: 0, total: 0 };
}

/** Adds two breakdowns line by line (integer nano-dollars, exact). */
export function addCosts(a: CostBreakdown, b: CostBreakdown): CostBreakdown {
  return {
    bedrock: a.bedrock + b.bedrock,
    lambda: a.lambda + b.lambda,
    dynamodb: a.dynamodb + b.dynamodb,
    s3: a.s3 + b.s3,
    sns: a.sns + b.sns,
    apiGateway: a.apiGateway + b.apiGateway,
    cloudwatch: a.cloudwatch + b.cloudwatch,
    total: a.total + b.total,
  };
}
