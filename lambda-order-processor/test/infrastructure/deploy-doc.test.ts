import { DEFAULT_IDLE_STACK, idleCostMarkdown } from '../../src/domain/costs/idle-stack.js';
import { blocks, isObject, loadTerraform, readRepoFile, type JsonObject, type TerraformConfig } from './infrastructure-files.js';

/**
 * docs/deploy.md against the code and terraform/: the idle-cost table is what idle-stack.ts
 * computes from the price catalog today, its profile is terraform/'s defaults, and the deployer
 * policy names every service terraform/ creates resources in.
 */

const DOC = 'docs/deploy.md';

function between(text: string, name: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${DOC}: no ${start} ... ${end} block`);
  return text.slice(from + start.length, to).trim();
}

function defaultOf(config: TerraformConfig, variable: string): unknown {
  const body = config.variables[variable];
  if (!body) throw new Error(`terraform/variables.tf has no variable "${variable}"`);
  return body.default;
}

/** Instances of a resource: 1 unless it has a literal count. */
function instances(body: JsonObject): number {
  return typeof body.count === 'number' ? body.count : 1;
}

function countResources(config: TerraformConfig, type: string): number {
  return Object.values(config.resources[type] ?? {}).reduce((sum, body) => sum + instances(body), 0);
}

/** The `for_each = local.NAME` map a dynamic block iterates over. */
function localMapSize(config: TerraformConfig, expression: unknown): number {
  const match = typeof expression === 'string' ? /^\$\{local\.([a-z_]+)\}$/.exec(expression) : null;
  const value = match ? config.locals[match[1]!] : undefined;
  if (!isObject(value)) throw new Error(`dynamic block for_each ${String(expression)} is not a local map`);
  return Object.keys(value).length;
}

/** Metrics one alarm evaluates: its metric, or each metric of its metric math (static and dynamic queries). */
function alarmMetrics(config: TerraformConfig, body: JsonObject): number {
  if (typeof body.metric_name === 'string') return 1;
  const staticMetrics = blocks(body, 'metric_query').filter((query) => blocks(query, 'metric').length > 0).length;
  const dynamic = isObject(body.dynamic) ? blocks(body.dynamic, 'metric_query') : [];
  return staticMetrics + dynamic.reduce((sum, block) => sum + localMapSize(config, block.for_each), 0);
}

/** Alarm instances: for_each over the Lambda functions x [Errors, Throttles] is the one for_each in cloudwatch.tf. */
function alarmInstances(config: TerraformConfig, body: JsonObject): number {
  if (body.for_each === undefined) return instances(body);
  const forEach = String(body.for_each);
  const product = /setproduct\(keys\(local\.lambda_functions\), \[("[A-Za-z]+"(?:, "[A-Za-z]+")*)\]\)/.exec(forEach);
  const functions = config.locals.lambda_functions;
  if (!product || !isObject(functions)) throw new Error(`alarm for_each not understood: ${forEach}`);
  return Object.keys(functions).length * product[1]!.split(',').length;
}

describe('docs/deploy.md: cost of the idle stack', () => {
  it('shows the table idle-stack.ts computes from the price catalog now (npm run docs:idle-cost)', () => {
    expect(between(readRepoFile(DOC), 'idle-cost')).toBe(idleCostMarkdown(DEFAULT_IDLE_STACK));
  });

  it('prices the nodes terraform/variables.tf creates by default', async () => {
    const config = await loadTerraform();
    expect(DEFAULT_IDLE_STACK.nodeCount).toBe(defaultOf(config, 'eks_node_desired_size'));
    expect([DEFAULT_IDLE_STACK.nodeInstanceType]).toEqual(defaultOf(config, 'eks_node_instance_types'));
    expect(countResources(config, 'aws_eks_node_group')).toBe(1);
  });

  it('prices node volumes of the AMI default size: the launch template sets no block device', async () => {
    const config = await loadTerraform();
    const templates = Object.values(config.resources.aws_launch_template ?? {});
    expect(templates).toHaveLength(1);
    expect(templates.flatMap((template) => blocks(template, 'block_device_mappings'))).toEqual([]);
    expect(DEFAULT_IDLE_STACK.nodeVolumeGb).toBe(20);
  });

  it('prices the NAT gateways, public IPv4 addresses, dashboards and KMS keys terraform/ declares', async () => {
    const config = await loadTerraform();
    expect(DEFAULT_IDLE_STACK.natGateways).toBe(countResources(config, 'aws_nat_gateway'));
    expect(DEFAULT_IDLE_STACK.natGateways).toBe(1);
    expect(DEFAULT_IDLE_STACK.publicIpv4Addresses).toBe(countResources(config, 'aws_eip'));
    expect(DEFAULT_IDLE_STACK.dashboards).toBe(countResources(config, 'aws_cloudwatch_dashboard'));
    expect(DEFAULT_IDLE_STACK.kmsKeys).toBe(countResources(config, 'aws_kms_key'));
    expect(DEFAULT_IDLE_STACK.eksSupport).toBe('standard');
  });

  it('prices one alarm metric per metric the alarms of cloudwatch.tf evaluate', async () => {
    const config = await loadTerraform();
    const alarms = Object.entries(config.resources.aws_cloudwatch_metric_alarm ?? {}).map(
      ([name, body]) => [name, alarmInstances(config, body) * alarmMetrics(config, body)] as const,
    );
    expect(Object.fromEntries(alarms)).toEqual({ lambda: 4, dlq_depth: 1, rejection_rate: 3, cost_per_order: 6 });
    expect(DEFAULT_IDLE_STACK.alarmMetrics).toBe(alarms.reduce((sum, [, metrics]) => sum + metrics, 0));
  });
});

/** The IAM service prefix of each AWS resource type terraform/ uses (first matching type prefix wins). */
const SERVICE_OF_RESOURCE: [string, string][] = [
  ['aws_apigatewayv2_', 'apigateway'],
  ['aws_cloudwatch_log_group', 'logs'],
  ['aws_cloudwatch_', 'cloudwatch'],
  ['aws_codebuild_', 'codebuild'],
  ['aws_codepipeline', 'codepipeline'],
  ['aws_dynamodb_', 'dynamodb'],
  ['aws_ecr_', 'ecr'],
  ['aws_eks_', 'eks'],
  ['aws_iam_', 'iam'],
  ['aws_kms_', 'kms'],
  ['aws_lambda_', 'lambda'],
  ['aws_s3_', 's3'],
  ['aws_sns_', 'sns'],
  ['aws_sqs_', 'sqs'],
  ['aws_', 'ec2'], // aws_vpc, aws_subnet, aws_eip, aws_nat_gateway, aws_route_table..., aws_launch_template
];

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: string | string[];
}

function deployerPolicy(): PolicyStatement[] {
  const block = between(readRepoFile(DOC), 'deployer-policy');
  const json = /^```json\n([\s\S]*)\n```$/.exec(block);
  if (!json) throw new Error(`${DOC}: the deployer policy is not one json code block`);
  const policy = JSON.parse(json[1]!) as { Version: string; Statement: PolicyStatement[] };
  expect(policy.Version).toBe('2012-10-17');
  return policy.Statement;
}

describe('docs/deploy.md: deployer permissions', () => {
  it('is a valid policy of Allow statements with service:Action actions', () => {
    const statements = deployerPolicy();
    expect(statements.length).toBeGreaterThan(10);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Action.length).toBeGreaterThan(0);
      for (const action of statement.Action) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+\*?$/);
      expect(statement.Action.some((action) => action.endsWith(':*'))).toBe(false);
    }
    expect(new Set(statements.map((statement) => statement.Sid)).size).toBe(statements.length);
  });

  it('covers every AWS service terraform/ creates resources in, and the state bucket', async () => {
    const config = await loadTerraform();
    const services = new Set(deployerPolicy().flatMap((statement) => statement.Action.map((action) => action.split(':')[0])));
    const needed = new Set(
      Object.keys(config.resources).map((type) => {
        const found = SERVICE_OF_RESOURCE.find(([prefix]) => type.startsWith(prefix));
        if (!found) throw new Error(`no IAM service known for ${type}`);
        return found[1];
      }),
    );
    expect([...needed].filter((service) => !services.has(service))).toEqual([]);
    expect(needed.size).toBeGreaterThanOrEqual(15);
    const state = deployerPolicy().find((statement) => statement.Sid === 'TerraformState');
    expect(state?.Action).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket']));
  });

  it('lets the pipeline pass its source connection and the roles terraform/ creates', async () => {
    const config = await loadTerraform();
    const actions = deployerPolicy().flatMap((statement) => statement.Action);
    expect(actions).toEqual(expect.arrayContaining(['iam:PassRole', 'codestar-connections:PassConnection', 'codeconnections:PassConnection']));
    const providers = Object.values(config.resources.aws_codepipeline ?? {}).flatMap((pipeline) =>
      blocks(pipeline, 'stage').flatMap((stage) => blocks(stage, 'action').map((action) => action.provider)),
    );
    expect(providers).toContain('CodeStarSourceConnection');
  });
});
