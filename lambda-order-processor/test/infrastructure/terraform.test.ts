import { format } from '@cdktf/hcl-tools';
import { parse } from '@cdktf/hcl2json';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DAY_INDEX,
  DAY_INDEX_PARTITION_KEY,
  DAY_INDEX_SORT_KEY,
  DEFAULT_ROLLUP_SHARDS,
  MAX_ROLLUP_SHARDS,
  ORDER_SUMMARY_ATTRIBUTES,
  PARTITION_KEY,
  SORT_KEY,
  STATUS_INDEX,
  STATUS_INDEX_PARTITION_KEY,
  STATUS_INDEX_SORT_KEY,
  TTL_ATTRIBUTE,
  tableDefinition,
} from '../../src/adapters/dynamodb-store/table-design.js';
import { AI_MODES, AI_PROVIDERS, ARCHIVE_KINDS, NOTIFIER_KINDS, STORE_ENGINES } from '../../src/config/config.js';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../src/domain/ai/analysis.js';
import { METRIC, METRICS_NAMESPACE, METRIC_DIMENSION } from '../../src/handler/order-metrics.js';
import {
  TERRAFORM_DIR,
  allObjects,
  allStrings,
  analyticsEnvironmentVariables,
  blocks,
  exists,
  isObject,
  loadTerraform,
  readRepoFile,
  stringList,
  terraformFiles,
  environmentVariablesReadIn,
  type Json,
  type JsonObject,
  type TerraformConfig,
} from './infrastructure-files.js';

/**
 * Offline checks of terraform/ (no terraform binary): every file parses and is canonically
 * formatted, every reference resolves, and what it deploys agrees with the code it deploys: the
 * table design, the configuration the Lambdas read, the EMF metrics the dashboard and alarms use.
 */

let tf: TerraformConfig;
beforeAll(async () => {
  tf = await loadTerraform();
});

function resource(type: string, name: string): JsonObject {
  const body = tf.resources[type]?.[name];
  if (!body) throw new Error(`resource ${type}.${name} is missing`);
  return body;
}

function variableDefault(name: string): Json | undefined {
  return tf.variables[name]?.default;
}

/** `${var.x}` -> the variable's default; literals as they are. */
function resolved(value: Json | undefined): Json | undefined {
  const match = typeof value === 'string' ? /^\$\{var\.([a-z0-9_]+)\}$/.exec(value) : null;
  return match ? variableDefault(match[1]!) : value;
}

describe('terraform files', () => {
  it('has one file per concern, versions, variables, outputs, backend and its example', () => {
    const files = terraformFiles();
    for (const file of ['versions.tf', 'providers.tf', 'backend.tf', 'variables.tf', 'outputs.tf', 'locals.tf', 'dynamodb.tf', 'lambda.tf', 'iam.tf', 'apigateway.tf', 's3.tf', 'sns.tf', 'sqs.tf', 'cloudwatch.tf', 'eks.tf', 'ecr.tf', 'cicd.tf']) {
      expect(files).toContain(file);
    }
    expect(exists('terraform/backend.hcl.example')).toBe(true);
    // Variables live in variables.tf and outputs in outputs.tf only.
    for (const [file, parsed] of Object.entries(tf.files)) {
      if (file !== 'variables.tf') expect(parsed.variable).toBeUndefined();
      if (file !== 'outputs.tf') expect(parsed.output).toBeUndefined();
    }
  });

  it('parses every .tf file and the backend example', async () => {
    expect(Object.keys(tf.files).length).toBeGreaterThanOrEqual(15);
    const example = (await parse('backend.hcl.example', readRepoFile('terraform/backend.hcl.example'))) as JsonObject;
    expect(Object.keys(example).sort()).toEqual(['bucket', 'encrypt', 'key', 'region', 'use_lockfile']);
    await expect(parse('broken.tf', 'resource "aws_s3_bucket" "x" {\n  bucket = \n}\n')).rejects.toThrow();
  });

  it('is formatted canonically (terraform fmt)', async () => {
    const unformatted: string[] = [];
    for (const file of [...terraformFiles(), 'backend.hcl.example', 'terraform.tfvars.example']) {
      const text = readFileSync(path.join(TERRAFORM_DIR, file), 'utf8');
      if ((await format(text)) !== text) unformatted.push(file);
    }
    expect(unformatted).toEqual([]);
    // The check itself sees misalignment.
    const misaligned = 'locals {\n  a = 1\n  bbb = 2\n}\n';
    expect(await format(misaligned)).not.toBe(misaligned);
  });

  it('pins terraform and the AWS provider', () => {
    const terraform = blocks(tf.files['versions.tf']!, 'terraform')[0]!;
    expect(terraform.required_version).toMatch(/^>= 1\.\d+\.\d+, < 2\.0\.0$/);
    const providers = blocks(terraform, 'required_providers')[0]!;
    expect(providers.aws).toEqual({ source: 'hashicorp/aws', version: expect.stringMatching(/^~> \d+\.\d+$/) });
    const backend = blocks(blocks(tf.files['backend.tf']!, 'terraform')[0]!, 'backend')[0];
    expect(Object.keys(backend ?? {})).toEqual(['s3']);
  });

  it('resolves every var., local., data., module. and resource reference', () => {
    const declared = {
      var: new Set(Object.keys(tf.variables)),
      local: new Set(Object.keys(tf.locals)),
      module: new Set(Object.keys(tf.modules)),
      data: new Set(Object.entries(tf.data).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))),
      resource: new Set(Object.entries(tf.resources).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))),
    };
    const unresolved: string[] = [];
    const used = { var: new Set<string>(), local: new Set<string>() };
    for (const [file, parsed] of Object.entries(tf.files)) {
      for (const text of allStrings(parsed).filter((s) => s.includes('${'))) {
        for (const [, kind, name] of text.matchAll(/(?<![\w.])(var|local|module)\.([A-Za-z0-9_-]+)/g)) {
          const set = declared[kind as 'var' | 'local' | 'module'];
          if (!set.has(name!)) unresolved.push(`${file}: ${kind}.${name}`);
          if (kind === 'var' || kind === 'local') used[kind].add(name!);
        }
        for (const [, address] of text.matchAll(/(?<![\w.])data\.([a-z0-9_]+\.[A-Za-z0-9_-]+)/g)) {
          if (!declared.data.has(address!)) unresolved.push(`${file}: data.${address}`);
        }
        for (const [, address] of text.matchAll(/(?<![\w.])((?:aws|kubernetes|helm|tls|random)_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g)) {
          if (!declared.resource.has(address!)) unresolved.push(`${file}: ${address}`);
        }
      }
    }
    expect(unresolved).toEqual([]);
    // Nothing declared and never used.
    expect([...declared.var].filter((name) => !used.var.has(name))).toEqual([]);
    expect([...declared.local].filter((name) => !used.local.has(name))).toEqual([]);
  });

  it('types, describes, defaults and validates every variable', () => {
    const problems: string[] = [];
    for (const [name, body] of Object.entries(tf.variables)) {
      if (typeof body.type !== 'string' || !/^\$\{(string|number|bool|list\(string\)|map\(string\))\}$/.test(body.type)) problems.push(`${name}: type`);
      if (typeof body.description !== 'string' || body.description.length < 10) problems.push(`${name}: description`);
      if (!('default' in body)) problems.push(`${name}: default`);
      const free = body.type === '${bool}' || body.type === '${map(string)}';
      if (!free && blocks(body, 'validation').length === 0) problems.push(`${name}: validation`);
      for (const validation of blocks(body, 'validation')) {
        if (typeof validation.condition !== 'string' || !validation.condition.includes(`var.${name}`)) problems.push(`${name}: validation condition`);
        if (typeof validation.error_message !== 'string' || !validation.error_message.endsWith('.')) problems.push(`${name}: error_message`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('outputs the API URL, dashboard URL, table, bucket and topic', () => {
    for (const name of ['api_url', 'cloudwatch_dashboard_url', 'orders_table_name', 'archive_bucket_name', 'notification_topic_arn', 'ecr_repository_url', 'analytics_role_arn', 'eks_cluster_name']) {
      expect(tf.outputs[name]?.description).toEqual(expect.any(String));
    }
    expect(tf.outputs.api_url?.value).toBe('${aws_apigatewayv2_stage.default.invoke_url}');
    expect(tf.outputs.orders_table_name?.value).toBe('${aws_dynamodb_table.orders.name}');
  });
});

describe('tags', () => {
  it('puts the cost-allocation tag on every resource through the provider default_tags', () => {
    const aws = tf.providers.aws ?? [];
    expect(aws).toHaveLength(1); // no aliased provider that would lack the default tags
    const defaultTags = blocks(aws[0]!, 'default_tags')[0];
    expect(defaultTags?.tags).toBe('${local.tags}');
    expect(tf.locals.tags).toMatch(/^\$\{merge\(var\.tags, \{\s*\(var\.cost_allocation_tag_key\)\s*=\s*var\.cost_allocation_tag_value\b/);
    // Every resource is an AWS resource, so the provider's default tags reach all that support tags.
    expect(Object.keys(tf.resources).filter((type) => !type.startsWith('aws_'))).toEqual([]);
  });

  it('tags the instances and volumes of the EKS nodes, which default_tags does not reach', () => {
    const template = resource('aws_launch_template', 'eks_nodes');
    const specs = blocks(template, 'tag_specifications');
    expect(specs.map((spec) => spec.resource_type).sort()).toEqual(['instance', 'volume']);
    for (const spec of specs) expect(spec.tags).toBe('${local.tags}');
    expect(blocks(resource('aws_eks_node_group', 'main'), 'launch_template')[0]?.id).toBe('${aws_launch_template.eks_nodes.id}');
  });

  it('uses the same cost-allocation tag as the analytics service asks Cost Explorer for', () => {
    const analytics = readRepoFile('eks-analytics/src/config/analytics-config.ts');
    expect(analytics).toContain(`COST_ALLOCATION_TAG_KEY = '${String(variableDefault('cost_allocation_tag_key'))}'`);
    expect(analytics).toContain(`COST_ALLOCATION_TAG_VALUE = '${String(variableDefault('cost_allocation_tag_value'))}'`);
  });
});

describe('IAM', () => {
  /** Statements allowed a "*" resource, each because AWS offers nothing narrower (see the comment beside it in the .tf). */
  const STAR_RESOURCE_ALLOW_LIST: Record<string, string> = {
    'kms.AccountAdministersAndDelegatesThroughIam': 'in a key policy "*" is the key itself',
    'kms.CloudWatchAlarmsPublishToEncryptedTopic': 'in a key policy "*" is the key itself',
    'order_api.XRay': 'X-Ray trace segments have no resource-level permission',
    'order_events.XRay': 'X-Ray trace segments have no resource-level permission',
    'order_events.ListStreams': 'dynamodb:ListStreams has no resource-level permission',
    'analytics.CostExplorerRead': 'Cost Explorer reads have no resource-level permission',
    'codebuild.EcrLogin': 'ecr:GetAuthorizationToken is account-wide',
  };

  function statements(): Array<{ id: string; statement: JsonObject }> {
    return Object.entries(tf.data.aws_iam_policy_document ?? {}).flatMap(([name, body]) =>
      blocks(body, 'statement').map((statement) => ({ id: `${name}.${String(statement.sid ?? '(no sid)')}`, statement })),
    );
  }

  it('writes every policy as a policy document (no inline JSON policies with wildcards)', () => {
    expect(statements().length).toBeGreaterThan(20);
    for (const file of terraformFiles()) {
      const text = readFileSync(path.join(TERRAFORM_DIR, file), 'utf8');
      expect(text).not.toMatch(/"?(Action|Resource)"?\s*=/);
    }
  });

  it('names every action one by one (no "*" in any action) and uses no NotAction/NotResource', () => {
    const problems: string[] = [];
    for (const { id, statement } of statements()) {
      if ('not_actions' in statement || 'not_resources' in statement) problems.push(`${id}: not_*`);
      const actions = stringList(statement.actions);
      if (actions.length === 0) problems.push(`${id}: no actions`);
      for (const action of actions) if (action.includes('*') || !/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action)) problems.push(`${id}: ${action}`);
    }
    expect(problems).toEqual([]);
  });

  it('allows a "*" resource only in the commented allow-list', () => {
    const starred = statements()
      .filter(({ statement }) => stringList(statement.resources).includes('*'))
      .map(({ id }) => id)
      .sort();
    expect(starred).toEqual(Object.keys(STAR_RESOURCE_ALLOW_LIST).sort());
    for (const { id, statement } of statements()) {
      if (stringList(statement.resources).includes('*')) expect(stringList(statement.resources)).toEqual(['*']);
      if (id in STAR_RESOURCE_ALLOW_LIST) expect(statement.effect ?? 'Allow').toBe('Allow');
    }
    // Each "*" resource line carries (or follows) a comment saying why.
    const uncommented: string[] = [];
    for (const file of terraformFiles()) {
      const lines = readFileSync(path.join(TERRAFORM_DIR, file), 'utf8').split('\n');
      lines.forEach((line, index) => {
        if (!/resources\s*=\s*\["\*"\]/.test(line)) return;
        const context = lines.slice(Math.max(0, index - 3), index + 1).join('\n');
        if (!/#\s*star-resource: \S/.test(context)) uncommented.push(`${file}:${index + 1}`);
      });
    }
    expect(uncommented).toEqual([]);
  });

  it('scopes the order API to the table, and Bedrock to the one configured model', () => {
    const policy = blocks(tf.data.aws_iam_policy_document!.order_api!, 'statement');
    const table = policy.find((s) => s.sid === 'OrdersTable')!;
    expect(table.resources).toEqual(['${aws_dynamodb_table.orders.arn}']);
    expect(stringList(table.actions)).not.toContain('dynamodb:Scan');
    expect(stringList(table.actions)).not.toContain('dynamodb:DeleteItem');
    const bedrock = policy.find((s) => s.sid === 'BedrockModel')!;
    expect(bedrock.actions).toEqual(['bedrock:InvokeModel']);
    expect(bedrock.resources).toEqual(['${local.bedrock_model_arn}']);
    expect(tf.locals.bedrock_model_arn).toMatch(/:foundation-model\/\$\{var\.bedrock_model_id\}$/);
    expect(variableDefault('bedrock_model_id')).toBe(DEFAULT_BEDROCK_MODEL_ID);
  });

  it('scopes the events function to the stream, the archive prefix, the topic and the dead-letter queue', () => {
    const policy = Object.fromEntries(blocks(tf.data.aws_iam_policy_document!.order_events!, 'statement').map((s) => [String(s.sid), s]));
    expect(policy.ReadTableStream?.resources).toEqual(['${aws_dynamodb_table.orders.stream_arn}']);
    expect(policy.ArchivePrefix?.actions).toEqual(['s3:PutObject']);
    expect(policy.ArchivePrefix?.resources).toEqual(['${aws_s3_bucket.archive.arn}/${var.archive_prefix}*']);
    expect(policy.NotificationTopic?.resources).toEqual(['${aws_sns_topic.orders.arn}']);
    expect(policy.DeadLetterQueue?.resources).toEqual(['${aws_sqs_queue.order_events_dlq.arn}']);
    // No table access beyond its stream: the events function opens no store.
    expect(Object.values(policy).flatMap((s) => stringList(s.actions)).filter((a) => /^dynamodb:(GetItem|PutItem|UpdateItem|Query|Scan|DeleteItem|BatchGetItem|BatchWriteItem)$/.test(a))).toEqual([]);
  });

  it('gives the analytics pods read-only table access and Cost Explorer reads, through IRSA', () => {
    const policy = blocks(tf.data.aws_iam_policy_document!.analytics!, 'statement');
    const actions = policy.flatMap((s) => stringList(s.actions)).sort();
    expect(actions).toEqual(['ce:GetCostAndUsage', 'ce:GetCostForecast', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query']);
    const table = policy.find((s) => s.sid === 'ReadOrdersTable')!;
    expect(table.resources).toEqual(['${aws_dynamodb_table.orders.arn}', `\${aws_dynamodb_table.orders.arn}/index/${STATUS_INDEX}`, `\${aws_dynamodb_table.orders.arn}/index/${DAY_INDEX}`]);
    const trust = blocks(tf.data.aws_iam_policy_document!.analytics_assume!, 'statement')[0]!;
    expect(trust.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    const conditions = blocks(trust, 'condition');
    expect(conditions.map((c) => c.values)).toContainEqual(['system:serviceaccount:${var.analytics_namespace}:${var.analytics_service_account}']);
  });

  it('gives each function its own role and policy', () => {
    const functions = Object.keys(tf.locals.lambda_functions as JsonObject);
    expect(functions).toEqual(['order-api', 'order-events']);
    expect(resource('aws_lambda_function', 'orderops').role).toBe('${aws_iam_role.lambda[each.key].arn}');
    expect(resource('aws_iam_role', 'lambda').for_each).toBe('${local.lambda_functions}');
    expect(resource('aws_iam_role_policy', 'lambda').for_each).toEqual({
      'order-api': '${data.aws_iam_policy_document.order_api.json}',
      'order-events': '${data.aws_iam_policy_document.order_events.json}',
    });
  });
});

describe('DynamoDB table', () => {
  const design = tableDefinition('orders');

  it('has the keys, indexes, projections and stream of table-design.ts', () => {
    const table = resource('aws_dynamodb_table', 'orders');
    expect(table.billing_mode).toBe(design.BillingMode);
    expect(table.hash_key).toBe(PARTITION_KEY);
    expect(table.range_key).toBe(SORT_KEY);
    expect(design.KeySchema).toEqual([
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ]);
    const attributes = blocks(table, 'attribute').map((a) => ({ AttributeName: a.name, AttributeType: a.type }));
    expect(attributes).toEqual(design.AttributeDefinitions);
    const indexes = blocks(table, 'global_secondary_index').map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.hash_key, KeyType: 'HASH' },
        { AttributeName: index.range_key, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection_type, NonKeyAttributes: index.non_key_attributes },
    }));
    expect(indexes).toEqual(design.GlobalSecondaryIndexes);
    expect(indexes.map((index) => index.IndexName)).toEqual([STATUS_INDEX, DAY_INDEX]);
    expect(indexes[0]!.KeySchema.map((k) => k.AttributeName)).toEqual([STATUS_INDEX_PARTITION_KEY, STATUS_INDEX_SORT_KEY]);
    expect(indexes[1]!.KeySchema.map((k) => k.AttributeName)).toEqual([DAY_INDEX_PARTITION_KEY, DAY_INDEX_SORT_KEY]);
    expect(indexes[0]!.Projection.NonKeyAttributes).toEqual([...ORDER_SUMMARY_ATTRIBUTES]);
    expect(table.stream_enabled).toBe(true);
    expect(table.stream_view_type).toBe(design.StreamSpecification?.StreamViewType);
  });

  it('expires velocity entries on the TTL attribute, with PITR, encryption and deletion protection', () => {
    const table = resource('aws_dynamodb_table', 'orders');
    expect(blocks(table, 'ttl')).toEqual([{ attribute_name: TTL_ATTRIBUTE, enabled: true }]);
    expect(blocks(table, 'point_in_time_recovery')).toEqual([{ enabled: true }]);
    expect(blocks(table, 'server_side_encryption')).toEqual([{ enabled: true }]);
    expect(table.deletion_protection_enabled).toBe('${var.table_deletion_protection}');
    expect(variableDefault('table_deletion_protection')).toBe(true);
    expect(variableDefault('rollup_shards')).toBe(DEFAULT_ROLLUP_SHARDS);
    expect(blocks(tf.variables.rollup_shards!, 'validation')[0]?.condition).toBe(`\${var.rollup_shards >= 1 && var.rollup_shards <= ${MAX_ROLLUP_SHARDS}}`);
  });

  it('feeds the events function from the stream with bisect, retries, partial failures and a DLQ', () => {
    const mapping = resource('aws_lambda_event_source_mapping', 'order_events');
    expect(mapping.event_source_arn).toBe('${aws_dynamodb_table.orders.stream_arn}');
    expect(mapping.function_name).toBe('${aws_lambda_function.orderops["order-events"].arn}');
    expect(mapping.bisect_batch_on_function_error).toBe(true);
    expect(mapping.function_response_types).toEqual(['ReportBatchItemFailures']);
    expect(mapping.maximum_retry_attempts).toBe('${var.stream_maximum_retry_attempts}');
    expect(mapping.batch_size).toBe('${var.stream_batch_size}');
    const onFailure = blocks(blocks(mapping, 'destination_config')[0]!, 'on_failure')[0]!;
    expect(onFailure.destination_arn).toBe('${aws_sqs_queue.order_events_dlq.arn}');
  });
});

describe('archive bucket and topic', () => {
  it('encrypts, blocks public access, versions and moves objects to Glacier after 90 days', () => {
    const sse = blocks(resource('aws_s3_bucket_server_side_encryption_configuration', 'archive'), 'rule')[0]!;
    expect(blocks(sse, 'apply_server_side_encryption_by_default')[0]?.sse_algorithm).toMatch(/^(AES256|aws:kms)$/);
    const block = resource('aws_s3_bucket_public_access_block', 'archive');
    for (const flag of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) expect(block[flag]).toBe(true);
    expect(blocks(resource('aws_s3_bucket_versioning', 'archive'), 'versioning_configuration')[0]?.status).toBe('Enabled');
    const rule = blocks(resource('aws_s3_bucket_lifecycle_configuration', 'archive'), 'rule')[0]!;
    expect(rule.status).toBe('Enabled');
    const transition = blocks(rule, 'transition')[0]!;
    expect(transition.storage_class).toBe('GLACIER');
    expect(resolved(transition.days)).toBe(90);
    expect(blocks(rule, 'filter')[0]?.prefix).toBe('${var.archive_prefix}');
  });

  it('refuses plain-HTTP access to the bucket', () => {
    expect(resource('aws_s3_bucket_policy', 'archive').policy).toBe('${data.aws_iam_policy_document.archive_bucket.json}');
    const deny = blocks(tf.data.aws_iam_policy_document!.archive_bucket!, 'statement')[0]!;
    expect(deny.effect).toBe('Deny');
    expect(blocks(deny, 'condition')).toEqual([{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }]);
  });

  it('asks for the same encryption the events function sets on every object', () => {
    const sse = blocks(resource('aws_s3_bucket_server_side_encryption_configuration', 'archive'), 'rule')[0]!;
    const algorithm = blocks(sse, 'apply_server_side_encryption_by_default')[0]?.sse_algorithm;
    expect(isObject(tf.locals.order_events_environment) && tf.locals.order_events_environment.ARCHIVE_SSE).toBe(algorithm);
  });

  it('encrypts the SNS topics and the queue, and subscribes the email only when given', () => {
    expect(resource('aws_sns_topic', 'orders').kms_master_key_id).toBe('${aws_kms_key.sns.arn}');
    expect(resource('aws_sns_topic', 'alarms').kms_master_key_id).toBe('${aws_kms_key.sns.arn}');
    expect(resource('aws_kms_key', 'sns').enable_key_rotation).toBe(true);
    expect(resource('aws_sqs_queue', 'order_events_dlq').sqs_managed_sse_enabled).toBe(true);
    expect(resource('aws_sns_topic_subscription', 'orders_email').count).toBe('${var.notification_email == "" ? 0 : 1}');
    expect(variableDefault('notification_email')).toBe('');
  });
});

describe('Lambda functions and the HTTP API', () => {
  /** Variables our code reads that the Lambdas leave at their defaults, and why. */
  const LEFT_AT_DEFAULT: Record<string, string> = {
    DATA_DIR: 'local files only (SQLite, fs archive, file notifier)',
    ORDER_API_PORT: 'local server only',
    ORDER_API_HOST: 'local server only',
    OUTBOX_DELIVERY: 'local server only (worker thread); Lambda delivers through the stream',
    NOTIFY_WEBHOOK_URL: 'optional extra webhook',
    OPENAI_BASE_URL: 'AI_PROVIDER=openai is not deployed on AWS',
    OPENAI_MODEL: 'AI_PROVIDER=openai is not deployed on AWS',
    OPENAI_API_KEY: 'AI_PROVIDER=openai is not deployed on AWS',
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'endpoint override for tests and proxies',
    DYNAMODB_ENDPOINT: 'DynamoDB Local only',
    AWS_LAMBDA_MAX_CONCURRENCY: 'set by the Lambda runtime on managed instances; the local server sets it for its concurrent invocations',
    AWS_REGION: 'set by the Lambda runtime',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: 'set by the Lambda runtime (the memory_size attribute)',
    LAMBDA_MEMORY_MB: 'the runtime tells the memory (AWS_LAMBDA_FUNCTION_MEMORY_SIZE)',
    VELOCITY_CUSTOMER_WINDOW_SECONDS: 'screening default',
    VELOCITY_CUSTOMER_MAX_ORDERS: 'screening default',
    VELOCITY_CARD_WINDOW_SECONDS: 'screening default',
    VELOCITY_CARD_MAX_OTHER_CUSTOMERS: 'screening default',
    VELOCITY_ADDRESS_WINDOW_SECONDS: 'screening default',
    VELOCITY_ADDRESS_MAX_OTHER_CUSTOMERS: 'screening default',
  };
  /** Read by the runtime or libraries rather than by our configuration code. */
  const RUNTIME_VARIABLES = ['POWERTOOLS_LOG_LEVEL', 'NODE_OPTIONS'];

  function environment(name: 'order_api_environment' | 'order_events_environment'): JsonObject {
    const value = tf.locals[name];
    if (!isObject(value)) throw new Error(`local.${name} is not a map`);
    return value;
  }

  it('deploys both bundles on Node.js 22, arm64, with X-Ray, JSON logs and sized by variables', () => {
    const fn = resource('aws_lambda_function', 'orderops');
    expect(fn.for_each).toBe('${local.lambda_functions}');
    expect(fn.runtime).toBe('nodejs22.x');
    expect(fn.architectures).toEqual(['arm64']);
    expect(fn.handler).toBe('index.handler');
    expect(fn.filename).toBe('${each.value.zip}');
    expect(fn.source_code_hash).toBe('${filebase64sha256(each.value.zip)}');
    expect(blocks(fn, 'tracing_config')[0]?.mode).toBe('Active');
    expect(blocks(fn, 'logging_config')[0]?.log_format).toBe('JSON');
    expect(blocks(fn, 'environment')[0]?.variables).toBe('${each.value.environment}');
    expect(fn.memory_size).toBe('${each.value.memory_mb}');
    expect(fn.reserved_concurrent_executions).toBe('${each.value.reserved_concurrency}');
    const functions = tf.locals.lambda_functions as JsonObject;
    for (const name of ['order-api', 'order-events']) {
      const settings = functions[name] as JsonObject;
      const prefix = name.replace('-', '_');
      expect(variableDefault(`${prefix}_zip`)).toBe(`../lambda-order-processor/dist/bundles/${name}.zip`);
      expect(settings).toEqual({
        description: expect.any(String),
        zip: `\${var.${prefix}_zip}`,
        memory_mb: `\${var.${prefix}_memory_mb}`,
        timeout_seconds: `\${var.${prefix}_timeout_seconds}`,
        reserved_concurrency: `\${var.${prefix}_reserved_concurrency}`,
        environment: `\${local.${prefix}_environment}`,
      });
    }
    expect(readRepoFile('lambda-order-processor/scripts/bundle.mjs')).toMatch(/name: 'order-api'[\s\S]*name: 'order-events'/);
  });

  it('sets only variables the code reads, and every variable the code reads is set or deliberately defaulted', () => {
    const read = environmentVariablesReadIn('lambda-order-processor/src');
    const set = new Set([...Object.keys(environment('order_api_environment')), ...Object.keys(environment('order_events_environment'))]);
    // Terraform -> code
    expect([...set].filter((name) => !read.has(name) && !RUNTIME_VARIABLES.includes(name))).toEqual([]);
    // code -> Terraform
    expect([...read].filter((name) => !set.has(name) && !(name in LEFT_AT_DEFAULT)).sort()).toEqual([]);
    // No stale entry in the list of defaults, none both set and defaulted.
    expect(Object.keys(LEFT_AT_DEFAULT).filter((name) => !read.has(name))).toEqual([]);
    expect(Object.keys(LEFT_AT_DEFAULT).filter((name) => set.has(name))).toEqual([]);
  });

  it('configures the order API for DynamoDB and Bedrock, and the events function for S3 and SNS', () => {
    const api = environment('order_api_environment');
    expect(api).toMatchObject({ STORE: 'dynamodb', ORDERS_TABLE: '${aws_dynamodb_table.orders.name}', LAMBDA_ARCHITECTURE: 'arm64', API_TYPE: 'HTTP' });
    expect(STORE_ENGINES).toContain(api.STORE);
    expect(AI_PROVIDERS).toContain(variableDefault('ai_provider'));
    expect(AI_MODES).toContain(variableDefault('ai_mode'));
    for (const value of stringList(JSON.parse(/contains\((\[.*?\])/.exec(String(blocks(tf.variables.ai_provider!, 'validation')[0]!.condition))![1]!) as Json)) {
      expect(AI_PROVIDERS).toContain(value);
    }
    const events = environment('order_events_environment');
    expect(ARCHIVE_KINDS).toContain(events.ARCHIVE);
    expect(NOTIFIER_KINDS).toContain(events.NOTIFIER);
    expect(events).toMatchObject({ ARCHIVE: 's3', ARCHIVE_BUCKET: '${aws_s3_bucket.archive.bucket}', NOTIFIER: 'sns', SNS_TOPIC_ARN: '${aws_sns_topic.orders.arn}' });
  });

  it('routes every order endpoint through a throttled HTTP API stage with JSON access logs', () => {
    const api = resource('aws_apigatewayv2_api', 'orders');
    expect(api.protocol_type).toBe('HTTP');
    expect(resource('aws_apigatewayv2_integration', 'order_api').payload_format_version).toBe('2.0');
    const routes = resource('aws_apigatewayv2_route', 'order_api').for_each;
    for (const route of ['POST /orders', 'GET /orders/{orderId}', 'POST /orders/{orderId}/review', 'GET /health']) expect(routes).toContain(`"${route}"`);
    const routePaths = readRepoFile('lambda-order-processor/src/handler/order-api.ts');
    for (const path of ['/orders', '/orders/{orderId}', '/orders/{orderId}/review', '/health']) expect(routePaths).toContain(`'${path}'`);
    const stage = resource('aws_apigatewayv2_stage', 'default');
    const throttling = blocks(stage, 'default_route_settings')[0]!;
    expect(throttling.throttling_rate_limit).toBe('${var.api_throttling_rate_limit}');
    expect(throttling.throttling_burst_limit).toBe('${var.api_throttling_burst_limit}');
    const logs = blocks(stage, 'access_log_settings')[0]!;
    expect(logs.destination_arn).toBe('${aws_cloudwatch_log_group.api_access.arn}');
    expect(String(logs.format)).toMatch(/^\$\{jsonencode\(\{[\s\S]*requestId\s*=\s*"\$context\.requestId"/);
  });

  it('keeps every log group for a bounded time', () => {
    const groups = Object.values(tf.resources.aws_cloudwatch_log_group ?? {});
    expect(groups.length).toBeGreaterThanOrEqual(4);
    for (const group of groups) expect(group.retention_in_days).toBe('${var.log_retention_days}');
  });
});

describe('CloudWatch dashboard and alarms', () => {
  const metricNames = new Set<string>(Object.values(METRIC));

  function dashboard(): { widgets: JsonObject[]; args: JsonObject } {
    const body = String(resource('aws_cloudwatch_dashboard', 'orderops').dashboard_body);
    const match = /^\$\{templatefile\("\$\{path\.module\}\/(templates\/[a-z.-]+)", \{([\s\S]*)\}\)\}$/.exec(body);
    if (!match) throw new Error('the dashboard body is not a templatefile() call');
    const args: JsonObject = {};
    for (const [, key, value] of match[2]!.matchAll(/^\s*([a-z_]+)\s*=\s*(\S+)\s*$/gm)) args[key!] = value!;
    const template = readRepoFile(`terraform/${match[1]!}`);
    const placeholders = new Set([...template.matchAll(/\$\{([a-z_]+)\}/g)].map((m) => m[1]!));
    expect([...placeholders].sort()).toEqual(Object.keys(args).sort());
    const rendered = JSON.parse(template.replace(/\$\{([a-z_]+)\}/g, (_, key: string) => (key === 'namespace' ? METRICS_NAMESPACE : `<${key}>`))) as JsonObject;
    return { widgets: (rendered.widgets as JsonObject[]) ?? [], args };
  }

  it("has the original system's nine widgets", () => {
    const { widgets, args } = dashboard();
    expect(widgets).toHaveLength(9);
    expect(args.namespace).toBe('local.metrics_namespace');
    expect(tf.locals.metrics_namespace).toBe(METRICS_NAMESPACE);
    expect(args.service).toBe('local.order_api_service_name');
    const titles = widgets.map((w) => String((w.properties as JsonObject).title).toLowerCase());
    for (const words of ['invocations', 'duration', 'status', 'fraud score', 'cost', 'dynamodb', 'bedrock', 'logs', '24 hours']) {
      expect(titles.some((title) => title.includes(words))).toBe(true);
    }
    expect(widgets.filter((w) => w.type === 'log')).toHaveLength(1);
  });

  it('charts only metrics the order API emits (order-metrics.ts METRIC), with its dimensions', () => {
    const { widgets } = dashboard();
    const used = new Set<string>();
    for (const widget of widgets) {
      for (const line of ((widget.properties as JsonObject).metrics as Json[][] | undefined) ?? []) {
        if (line[0] !== METRICS_NAMESPACE) continue;
        used.add(String(line[1]));
        const dimensions = line.slice(2).filter((item) => typeof item === 'string');
        expect(dimensions[0]).toBe('service');
        if (dimensions.length > 2) expect(dimensions[2]).toBe(METRIC_DIMENSION.status);
      }
    }
    expect([...used].filter((name) => !metricNames.has(name))).toEqual([]);
    for (const name of [METRIC.ordersProcessed, METRIC.fraudScore, METRIC.processingCost, METRIC.aiCalls, METRIC.aiTokens]) expect(used).toContain(name);
    // Every metric math id the expressions name is defined in the same widget.
    for (const widget of widgets) {
      const lines = ((widget.properties as JsonObject).metrics as Json[][] | undefined) ?? [];
      const options = lines.map((line) => line[line.length - 1]).filter(isObject);
      const ids = new Set(options.map((o) => o.id).filter((id): id is string => typeof id === 'string'));
      for (const expression of options.map((o) => o.expression).filter((e): e is string => typeof e === 'string')) {
        for (const id of expression.match(/[a-z][a-z0-9]*/g) ?? []) expect(ids).toContain(id);
      }
    }
  });

  it('alarms on Lambda errors and throttles, DLQ depth, rejection rate and cost per order, on emitted metrics', () => {
    const alarms = tf.resources.aws_cloudwatch_metric_alarm ?? {};
    expect(Object.keys(alarms).sort()).toEqual(['cost_per_order', 'dlq_depth', 'lambda', 'rejection_rate']);
    expect(alarms.lambda!.metric_name).toBe('${each.value.metric}');
    expect(alarms.lambda!.for_each).toMatch(/setproduct\(keys\(local\.lambda_functions\), \["Errors", "Throttles"\]\)/);
    expect(alarms.dlq_depth!.metric_name).toBe('ApproximateNumberOfMessagesVisible');
    const ours = Object.entries(alarms).flatMap(([name, body]) =>
      allObjects(body)
        .filter((o) => o.namespace === '${local.metrics_namespace}')
        .map((o) => ({ name, metric: String(o.metric_name), dimensions: o.dimensions })),
    );
    expect(ours.filter((o) => !metricNames.has(o.metric))).toEqual([]);
    expect(new Set(ours.filter((o) => o.name === 'rejection_rate').map((o) => o.metric))).toEqual(new Set([METRIC.ordersProcessed]));
    expect(new Set(ours.filter((o) => o.name === 'cost_per_order').map((o) => o.metric))).toEqual(new Set([METRIC.processingCost, METRIC.ordersProcessed]));
    for (const { dimensions } of ours) expect(dimensions).toEqual({ service: '${local.order_api_service_name}', [METRIC_DIMENSION.status]: '${metric_query.value}' });
    expect(tf.locals.order_statuses).toEqual({ approved: 'APPROVED', rejected: 'REJECTED', pending: 'PENDING_REVIEW' });
    for (const alarm of Object.values(alarms)) expect(alarm.alarm_actions).toBe('${local.alarm_actions}');
  });

  it('uses the Powertools service name the dashboard filters on', () => {
    const api = tf.locals.order_api_environment as JsonObject;
    expect(api.POWERTOOLS_SERVICE_NAME).toBe('${local.order_api_service_name}');
    expect(readRepoFile('lambda-order-processor/src/config/config.ts')).toContain(`POWERTOOLS_SERVICE_NAME?.trim() || '${String(tf.locals.order_api_service_name)}'`);
  });
});

describe('EKS, ECR and the pipeline', () => {
  it('runs Graviton nodes in private subnets with an IRSA provider', () => {
    const group = resource('aws_eks_node_group', 'main');
    expect(group.ami_type).toMatch(/ARM_64/);
    expect(group.subnet_ids).toBe('${aws_subnet.private[*].id}');
    expect(resource('aws_iam_openid_connect_provider', 'eks').client_id_list).toEqual(['sts.amazonaws.com']);
    expect(resource('aws_iam_role', 'analytics').assume_role_policy).toBe('${data.aws_iam_policy_document.analytics_assume.json}');
  });

  it('scans images on push and expires old ones', () => {
    const repository = resource('aws_ecr_repository', 'analytics');
    expect(blocks(repository, 'image_scanning_configuration')[0]?.scan_on_push).toBe(true);
    expect(String(resource('aws_ecr_lifecycle_policy', 'analytics').policy)).toMatch(/imageCountMoreThan[\s\S]*var\.ecr_keep_images/);
  });

  it('builds with buildspec.yml from a source connection variable, on ARM like the nodes', () => {
    const project = resource('aws_codebuild_project', 'orderops');
    expect(blocks(project, 'source')[0]?.buildspec).toBe('buildspec.yml');
    const environment = blocks(project, 'environment')[0]!;
    expect(environment.type).toBe('ARM_CONTAINER');
    expect(environment.privileged_mode).toBe(true);
    const pipeline = resource('aws_codepipeline', 'orderops');
    const source = blocks(blocks(pipeline, 'stage')[0]!, 'action')[0]!;
    expect((source.configuration as JsonObject).ConnectionArn).toBe('${var.source_connection_arn}');
    expect(analyticsEnvironmentVariables().size).toBeGreaterThan(5);
  });
});
