import type { PriceCatalog } from './price-catalog.js';
import { PRICE_CATALOG } from './price-catalog.js';
import { costNanos, quantity, sumNanos } from './money.js';

/**
 * What the Terraform stack (terraform/) costs per month with no traffic at all: the parts billed
 * by the hour or by the month whatever the load (EKS, its nodes, the NAT gateway...). Everything
 * billed per request (Lambda, API Gateway, DynamoDB on demand, S3, SNS, SQS) is $0 when idle.
 * Priced from the price catalog, in integer nano-dollars; docs/deploy.md shows the table.
 */

export interface IdleStackProfile {
  /** Hours in the month (AWS prices a month as 730 hours). */
  hoursPerMonth: number;
  /** Whether the cluster's Kubernetes version is in EKS standard or extended support. */
  eksSupport: 'standard' | 'extended';
  nodeCount: number;
  /** EC2 instance type of the nodes, priced by the catalog's `ec2.<type>.on-demand` entry. */
  nodeInstanceType: string;
  /** gp3 root volume of each node. */
  nodeVolumeGb: number;
  natGateways: number;
  /** Public IPv4 addresses (the NAT gateway's Elastic IP). */
  publicIpv4Addresses: number;
  dashboards: number;
  /** Metrics the standard alarms evaluate: one per plain alarm, one per metric of a metric-math alarm. */
  alarmMetrics: number;
  kmsKeys: number;
}

/**
 * The stack as terraform/ deploys it with its defaults (deploy-doc.test.ts checks this against
 * variables.tf and the resources): 2 t4g.medium nodes with 20 GB gp3 root volumes (the EKS AL2023
 * AMI's default), one NAT gateway and its Elastic IP, one dashboard, 7 alarms evaluating 14 metrics
 * (4 Lambda errors/throttles, the DLQ depth, rejection rate over 3 metrics, cost per order over 6),
 * one KMS key.
 */
export const DEFAULT_IDLE_STACK: IdleStackProfile = Object.freeze({
  hoursPerMonth: 730,
  eksSupport: 'standard',
  nodeCount: 2,
  nodeInstanceType: 't4g.medium',
  nodeVolumeGb: 20,
  natGateways: 1,
  publicIpv4Addresses: 1,
  dashboards: 1,
  alarmMetrics: 14,
  kmsKeys: 1,
});

export interface IdleCostLine {
  item: string;
  /** The catalog entry the line is priced with. */
  priceId: string;
  /** How many of the entry's unit the month uses (e.g. 1460 instance-hours). */
  quantity: number;
  nanos: number;
}

export interface IdleCost {
  lines: IdleCostLine[];
  totalNanos: number;
}

export function eksControlPlanePriceId(support: IdleStackProfile['eksSupport']): string {
  return `eks.cluster.${support}-support`;
}

export function instancePriceId(instanceType: string): string {
  return `ec2.${instanceType}.on-demand`;
}

/** The monthly cost of the idle stack, line by line, each line rounded once to nano-dollars. */
export function idleStackMonthlyCost(profile: IdleStackProfile, catalog: PriceCatalog = PRICE_CATALOG): IdleCost {
  for (const [field, value] of Object.entries(profile)) {
    if (typeof value === 'number' && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new Error(`Idle stack profile: ${field} must be a non-negative integer, got ${value}`);
    }
  }
  const hours = profile.hoursPerMonth;
  const items: [string, string, number][] = [
    ['EKS control plane', eksControlPlanePriceId(profile.eksSupport), hours],
    [`${profile.nodeCount} nodes ${profile.nodeInstanceType} (on demand)`, instancePriceId(profile.nodeInstanceType), profile.nodeCount * hours],
    [`node volumes, ${profile.nodeCount} x ${profile.nodeVolumeGb} GB gp3`, 'ebs.gp3.storage', profile.nodeCount * profile.nodeVolumeGb],
    [`${profile.natGateways} NAT gateway (idle: no GB processed)`, 'vpc.nat-gateway.hours', profile.natGateways * hours],
    [`${profile.publicIpv4Addresses} public IPv4 address (the NAT gateway's)`, 'vpc.public-ipv4', profile.publicIpv4Addresses * hours],
    [`${profile.dashboards} CloudWatch dashboard`, 'cloudwatch.dashboard', profile.dashboards],
    [`CloudWatch alarms evaluating ${profile.alarmMetrics} metrics`, 'cloudwatch.alarm.standard', profile.alarmMetrics],
    [`${profile.kmsKeys} KMS key`, 'kms.customer-managed-key', profile.kmsKeys],
  ];
  const lines = items.map(([item, priceId, amount]) => ({
    item,
    priceId,
    quantity: amount,
    nanos: costNanos(catalog.price(priceId), quantity(amount)),
  }));
  return { lines, totalNanos: sumNanos(lines.map((line) => line.nanos)) };
}

/** Nano-dollars as dollars and cents, rounded half up ("$166.06"). */
export function formatMonthlyDollars(nanos: number): string {
  const cents = Math.floor((nanos + 5_000_000) / 10_000_000);
  return `$${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * The Markdown table docs/deploy.md shows between its idle-cost markers (scripts/idle-cost.mjs
 * writes it; deploy-doc.test.ts checks it is current), with the alternatives a reader weighs.
 */
export function idleCostMarkdown(profile: IdleStackProfile = DEFAULT_IDLE_STACK, catalog: PriceCatalog = PRICE_CATALOG): string {
  const cost = idleStackMonthlyCost(profile, catalog);
  const rows = cost.lines.map((line) => {
    const price = catalog.price(line.priceId);
    const per = price.per === 1 ? price.unit : `${price.per} ${price.unit}`;
    return `| ${line.item} | ${line.quantity} ${price.unit} | $${price.price} / ${per} | ${formatMonthlyDollars(line.nanos)} |`;
  });
  const oneNode = idleStackMonthlyCost({ ...profile, nodeCount: 1 }, catalog).totalNanos;
  const extended = idleStackMonthlyCost({ ...profile, eksSupport: 'extended' }, catalog).totalNanos;
  const natData = catalog.price('vpc.nat-gateway.data-processed');
  return [
    `| item | quantity per month (${profile.hoursPerMonth} hours) | list price (us-east-1) | per month |`,
    '|---|---|---|---|',
    ...rows,
    '| Lambda, API Gateway, DynamoDB on demand, S3, SNS, SQS | per request | see the price catalog | $0.00 idle |',
    `| **total** | | | **${formatMonthlyDollars(cost.totalNanos)}** |`,
    '',
    `With \`eks_node_desired_size = 1\` the total is ${formatMonthlyDollars(oneNode)}. If the cluster's Kubernetes ` +
      `version has left standard support (about 14 months after EKS released it: raise \`eks_cluster_version\`), ` +
      `the control plane moves to EKS extended support and the total is ` +
      `${formatMonthlyDollars(extended)}. Traffic through the NAT gateway adds $${natData.price} per ${natData.unit} processed.`,
  ].join('\n');
}
