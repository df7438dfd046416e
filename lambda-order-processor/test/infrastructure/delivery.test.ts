import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableDefinition } from '../../src/adapters/dynamodb-store/table-design.js';
import {
  AGREED_DYNAMODB_VARIABLES,
  REPO_ROOT,
  analyticsEnvironmentVariables,
  blocks,
  environmentVariablesReadIn,
  exists,
  isAwsSdkVariable,
  isObject,
  loadTerraform,
  loadYaml,
  readRepoFile,
  stringList,
  type Json,
  type JsonObject,
} from './infrastructure-files.js';

/**
 * Offline checks of the delivery files: yamllint over the YAML, buildspec.yml (pinned tools, the
 * scripts and files it runs exist, nothing account-specific hard-coded, every variable it uses is
 * defined), docker-compose.yml (the table it creates is table-design.ts's, services in DynamoDB mode
 * with health checks) and the analytics Dockerfile (multi-stage, slim Node 22, non-root, HEALTHCHECK).
 */

/** Debian's yamllint (CI installs it: .ci/run on Debian, pip in buildspec.yml). */
const YAMLLINT = existsSync('/usr/bin/yamllint') ? '/usr/bin/yamllint' : 'yamllint';
const LINTED = ['.yamllint', 'buildspec.yml', 'docker-compose.yml', 'helm/orderops-analytics/Chart.yaml', 'helm/orderops-analytics/values.yaml'];

function yamllint(files: string[]): { status: number | null; output: string } {
  const result = spawnSync(YAMLLINT, ['-c', path.join(REPO_ROOT, '.yamllint'), '-f', 'parsable', ...files], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.error) throw new Error(`yamllint could not run (${result.error.message}): install it (apt-get install yamllint)`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('yamllint', () => {
  it('passes on buildspec.yml, docker-compose.yml and the chart', () => {
    expect(yamllint(LINTED)).toEqual({ status: 0, output: '' });
  });

  it('really lints: a duplicated key and a bad indent fail', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yamllint-'));
    try {
      const file = path.join(dir, 'bad.yml');
      writeFileSync(file, '---\nkey: 1\nkey: 2\nlist:\n    - a\n   - b\n');
      const { status, output } = yamllint([file]);
      expect(status).not.toBe(0);
      expect(output).toMatch(/duplication of key "key"|syntax error/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('buildspec.yml', () => {
  const buildspec = loadYaml('buildspec.yml');
  const phases = buildspec.phases as JsonObject;
  const commands = (phase: string): string[] => stringList((phases[phase] as JsonObject | undefined)?.commands);
  const all = ['install', 'pre_build', 'build', 'post_build'].flatMap(commands);
  const variables = (buildspec.env as JsonObject).variables as JsonObject;

  it('has the four phases, Node.js 22, and pinned terraform, helm and kubectl', () => {
    expect(buildspec.version).toBe(0.2);
    expect(Object.keys(phases)).toEqual(['install', 'pre_build', 'build', 'post_build']);
    expect((phases.install as JsonObject)['runtime-versions']).toMatchObject({ nodejs: 22 });
    for (const tool of ['TERRAFORM_VERSION', 'HELM_VERSION', 'KUBECTL_VERSION']) expect(variables[tool]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(commands('install').join('\n')).toMatch(/terraform_\$\{TERRAFORM_VERSION\}[\s\S]*helm-v\$\{HELM_VERSION\}[\s\S]*v\$\{KUBECTL_VERSION\}/);
  });

  it('logs in to ECR and tags the image from the commit before building', () => {
    expect(commands('pre_build').join('\n')).toMatch(/ecr get-login-password[\s\S]*IMAGE_TAG="\$\(echo "\$CODEBUILD_RESOLVED_SOURCE_VERSION"/);
  });

  it('installs, tests, bundles both Lambdas and builds the image; pushes, applies and upgrades after', () => {
    const build = commands('build').join('\n');
    expect(build).toMatch(/^npm ci\b[\s\S]*npm test\b[\s\S]*bundle\.mjs[\s\S]*docker build -f eks-analytics\/Dockerfile/);
    const post = commands('post_build').join('\n');
    expect(post).toMatch(/docker push[\s\S]*terraform init[\s\S]*terraform apply[\s\S]*helm upgrade --install[\s\S]*--wait/);
    expect(post).toContain('--set image.tag="$IMAGE_TAG"');
  });

  it('runs only scripts and files that exist', () => {
    const rootScripts = Object.keys((JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> }).scripts);
    for (const [, script] of all.join('\n').matchAll(/npm (?:run )?(test|run [a-z:-]+)\b/g)) {
      expect(rootScripts).toContain(script!.replace(/^run /, ''));
    }
    const files = [...all.join('\n').matchAll(/(?:node|-f|cd|upgrade --install "\$HELM_RELEASE")\s+([a-z][\w./-]+)/g)].map((m) => m[1]!);
    expect(files).toEqual(expect.arrayContaining(['lambda-order-processor/scripts/bundle.mjs', 'eks-analytics/Dockerfile', 'terraform', 'helm/orderops-analytics']));
    for (const file of files) expect({ file, exists: exists(file) }).toEqual({ file, exists: true });
  });

  it('hard-codes no account id, email, repository or region', () => {
    const text = readRepoFile('buildspec.yml');
    expect(text).not.toMatch(/\b\d{12}\b/);
    expect(text).not.toMatch(/[\w.-]+@[\w-]+\.[\w.]+/);
    expect(text).not.toMatch(/github\.com|bitbucket\.org|gitlab\.com/);
    expect(text).not.toMatch(/\b(us|eu|ap|sa|ca|me|af)-[a-z]+-\d\b/);
  });

  it('uses only variables it defines, CodeBuild provides, or the Terraform project sets', async () => {
    const tf = await loadTerraform();
    const project = tf.resources.aws_codebuild_project?.orderops;
    const fromTerraform = blocks(blocks(project!, 'environment')[0]!, 'environment_variable').map((v) => String(v.name));
    const defined = new Set([...Object.keys(variables), ...fromTerraform, ...all.flatMap((c) => [...c.matchAll(/^([A-Z_]+)=/g)].map((m) => m[1]!))]);
    const used = new Set(all.flatMap((c) => [...c.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!)));
    const provided = (name: string) => name.startsWith('CODEBUILD_') || name === 'AWS_REGION' || name === 'HOME';
    expect([...used].filter((name) => !defined.has(name) && !provided(name))).toEqual([]);
    // Everything Terraform hands over is used (TF_VAR_* by terraform itself).
    expect(fromTerraform.filter((name) => !used.has(name) && !name.startsWith('TF_VAR_') && name !== 'AWS_ACCOUNT_ID')).toEqual([]);
    for (const name of fromTerraform.filter((n) => n.startsWith('TF_VAR_'))) expect(tf.variables[name.slice('TF_VAR_'.length)]).toBeDefined();
    // The image is pushed where Terraform's ECR repository is, for the cluster Terraform created.
    expect(fromTerraform).toEqual(expect.arrayContaining(['ECR_REPOSITORY_URI', 'EKS_CLUSTER_NAME', 'TF_STATE_BUCKET']));
  });

  it('publishes the jest results as a JUnit report', () => {
    const reports = buildspec.reports as JsonObject;
    expect(reports.jest).toMatchObject({ 'file-format': 'JUNITXML', files: ['junit.xml'] });
    expect(commands('build').join('\n')).toContain('--reporters=jest-junit');
  });
});

describe('docker-compose.yml', () => {
  const compose = loadYaml('docker-compose.yml');
  const services = compose.services as JsonObject;
  const service = (name: string) => services[name] as JsonObject;

  /** The create-table arguments as a CreateTable input (the AWS CLI's shorthand syntax). */
  function createTableInput(): JsonObject {
    const args = stringList(service('create-table').command);
    expect(args.slice(0, 2)).toEqual(['dynamodb', 'create-table']);
    const options: Record<string, string[]> = {};
    let current = '';
    for (const arg of args.slice(2)) {
      if (arg.startsWith('--')) options[(current = arg.slice(2))] = [];
      else options[current]!.push(arg);
    }
    const shorthand = (text: string): JsonObject => Object.fromEntries(text.split(',').map((pair) => pair.split('=') as [string, string]));
    const stream = shorthand(options['stream-specification']![0]!);
    return {
      TableName: options['table-name']![0]!,
      BillingMode: options['billing-mode']![0]!,
      AttributeDefinitions: options['attribute-definitions']!.map(shorthand),
      KeySchema: options['key-schema']!.map(shorthand),
      GlobalSecondaryIndexes: JSON.parse(options['global-secondary-indexes']![0]!) as Json,
      StreamSpecification: { StreamEnabled: stream.StreamEnabled === 'true', StreamViewType: stream.StreamViewType! },
    };
  }

  it('creates exactly the table of table-design.ts, once (idempotent one-shot)', () => {
    const input = createTableInput();
    expect(input).toEqual(tableDefinition(String(input.TableName)) as unknown as JsonObject);
    const oneShot = service('create-table');
    expect(String(oneShot.image)).toMatch(/^amazon\/aws-cli:\d+\.\d+\.\d+$/);
    expect(stringList(oneShot.entrypoint).join(' ')).toMatch(/describe-table[\s\S]*\|\| exec aws "\$\$@"/);
    expect(oneShot.depends_on).toEqual({ dynamodb: { condition: 'service_healthy' } });
    expect(String((oneShot.environment as JsonObject).TABLE_NAME)).toBe(input.TableName);
  });

  it('runs the official DynamoDB Local image with a health check', () => {
    expect(String(service('dynamodb').image)).toMatch(/^amazon\/dynamodb-local:\d+\.\d+\.\d+$/);
    expect(service('dynamodb').healthcheck).toBeDefined();
  });

  it('runs the order API and the analytics in DynamoDB mode, after the table exists, with health checks', () => {
    const table = String(createTableInput().TableName);
    const orderVariables = environmentVariablesReadIn('lambda-order-processor/src');
    const analyticsVariables = analyticsEnvironmentVariables();
    const agreed = new Set<string>(AGREED_DYNAMODB_VARIABLES);
    for (const [name, known, health] of [
      ['order-api', orderVariables, '/health'],
      ['analytics', analyticsVariables, '/health/ready'],
    ] as const) {
      const svc = service(name);
      const env = svc.environment as JsonObject;
      expect(env).toMatchObject({ STORE: 'dynamodb', ORDERS_TABLE: table, DYNAMODB_ENDPOINT: 'http://dynamodb:8000' });
      expect(Object.keys(env).filter((key) => !known.has(key) && !agreed.has(key) && !isAwsSdkVariable(key))).toEqual([]);
      expect((svc.depends_on as JsonObject)['create-table']).toEqual({ condition: 'service_completed_successfully' });
      expect(stringList((svc.healthcheck as JsonObject).test).join(' ')).toContain(health);
      for (const port of stringList(svc.ports)) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
    const build = service('order-api').build as JsonObject;
    expect(exists(path.join(String(build.context), String(build.dockerfile)))).toBe(true);
    expect(service('analytics').image).toBe(service('order-api').image);
    expect(service('analytics').build).toEqual(build);
    // The order API runs the compiled local server of src/local/main.ts.
    expect(stringList(service('order-api').command)).toEqual(['node', 'lambda-order-processor/dist/local/main.js']);
    expect(exists('lambda-order-processor/src/local/main.ts')).toBe(true);
    expect(isObject(compose.volumes)).toBe(true);
  });
});

describe('eks-analytics/Dockerfile', () => {
  const dockerfile = readRepoFile('eks-analytics/Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages = instructions.reduce<string[][]>((list, line) => {
    if (line.startsWith('FROM ')) list.push([]);
    list.at(-1)?.push(line);
    return list;
  }, []);
  const final = stages.at(-1) ?? [];

  it('is a multi-stage build on Node 22 slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22(\.\d+)*-[a-z]+-slim$/m);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM \$\{NODE_IMAGE\} AS [a-z-]+$/);
  });

  it('installs production dependencies only into the final image, as a non-root user, with a HEALTHCHECK', () => {
    expect(dockerfile).toContain('npm ci --omit=dev');
    const user = final.find((line) => line.startsWith('USER '));
    expect(user).toMatch(/^USER [1-9]\d*:[1-9]\d*$/);
    expect(final.some((line) => line.startsWith('HEALTHCHECK ') && line.includes('/health'))).toBe(true);
    expect(final.at(-1)).toBe('CMD ["node", "eks-analytics/dist/main.js"]');
    expect(exists('eks-analytics/src/main.ts')).toBe(true);
    expect(final.filter((line) => line.startsWith('RUN npm'))).toEqual([]);
  });

  it('ships the dashboard page, both compiled workspaces and the listening port the chart probes', () => {
    expect(final).toContain('COPY eks-analytics/src/dashboard/public eks-analytics/src/dashboard/public');
    expect(readRepoFile('eks-analytics/src/dashboard/dashboard.controller.ts')).toContain("'../../src/dashboard/public/'");
    expect(final).toContain('COPY --from=build /app/lambda-order-processor/dist lambda-order-processor/dist');
    expect(final).toContain('COPY --from=build /app/eks-analytics/dist eks-analytics/dist');
    expect(JSON.parse(readRepoFile('eks-analytics/package.json')).dependencies).toHaveProperty('@orderops/lambda-order-processor');
    expect(final).toContain('EXPOSE 8080');
    expect(dockerfile).toMatch(/ANALYTICS_HOST=0\.0\.0\.0/);
  });

  it('copies only files that exist and that .dockerignore lets into the context', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const toRegExp = (pattern: string) =>
      new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*')}(/.*)?$`);
    const sources = instructions
      .filter((line) => line.startsWith('COPY ') && !line.includes('--from='))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect({ source, exists: exists(source) }).toEqual({ source, exists: true });
      expect({ source, ignoredBy: ignored.filter((pattern) => toRegExp(pattern).test(source)) }).toEqual({ source, ignoredBy: [] });
    }
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});
