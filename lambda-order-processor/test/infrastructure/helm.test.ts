import { Ajv } from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AGREED_DYNAMODB_VARIABLES,
  CHART_DIR,
  analyticsEnvironmentVariables,
  isAwsSdkVariable,
  isObject,
  loadTerraform,
  loadYaml,
  readRepoFile,
  type Json,
  type JsonObject,
} from './infrastructure-files.js';

/**
 * Offline checks of the analytics chart (no helm binary): Chart.yaml and values.yaml are valid,
 * values.yaml satisfies values.schema.json (and the schema refuses an unhardened pod), every
 * `.Values` path a template uses exists, and the templates carry the probes, the hardened security
 * context, the HPA and the IRSA annotation. yamllint runs in delivery.test.ts.
 */

const CHART = 'helm/orderops-analytics';
const values = loadYaml(`${CHART}/values.yaml`);
const schema = JSON.parse(readRepoFile(`${CHART}/values.schema.json`)) as JsonObject;
const templates = Object.fromEntries(
  readdirSync(path.join(CHART_DIR, 'templates')).map((name) => [name, readFileSync(path.join(CHART_DIR, 'templates', name), 'utf8')]),
);

function validator() {
  return new Ajv({ allErrors: true }).compile(schema);
}

function clone(value: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

function at(root: Json, dotted: string): Json | undefined {
  let current: Json | undefined = root;
  for (const key of dotted.split('.')) {
    if (!isObject(current) || !(key in current)) return undefined;
    current = current[key];
  }
  return current;
}

describe('helm chart', () => {
  it('has a valid Chart.yaml (apiVersion v2, semver version, the folder name)', () => {
    const chart = loadYaml(`${CHART}/Chart.yaml`);
    expect(chart.apiVersion).toBe('v2');
    expect(chart.name).toBe(path.basename(CHART_DIR));
    expect(chart.type).toBe('application');
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typeof chart.appVersion).toBe('string');
    expect(chart.appVersion).toBe(JSON.parse(readRepoFile('eks-analytics/package.json')).version);
  });

  it('validates values.yaml against values.schema.json', () => {
    const validate = validator();
    expect(validate(values) ? [] : validate.errors).toEqual([]);
  });

  it('has a schema that refuses an unhardened pod and unknown keys', () => {
    const validate = validator();
    const cases: Array<[string, (v: JsonObject) => void]> = [
      ['root filesystem writable', (v) => ((v.securityContext as JsonObject).readOnlyRootFilesystem = false)],
      ['privilege escalation', (v) => ((v.securityContext as JsonObject).allowPrivilegeEscalation = true)],
      ['root user', (v) => ((v.podSecurityContext as JsonObject).runAsNonRoot = false)],
      ['capabilities kept', (v) => (((v.securityContext as JsonObject).capabilities as JsonObject).drop = ['NET_RAW'])],
      ['a typo', (v) => (v.replicaCout = 3)],
      ['a bad role ARN', (v) => (((v.serviceAccount as JsonObject).annotations as JsonObject)['eks.amazonaws.com/role-arn'] = 'my-role')],
      ['an unknown store', (v) => ((v.config as JsonObject).STORE = 'mongodb')],
      ['a numeric config value', (v) => ((v.config as JsonObject).ROLLUP_SHARDS = 10)],
    ];
    for (const [name, change] of cases) {
      const broken = clone(values);
      change(broken);
      expect({ name, valid: validate(broken) }).toEqual({ name, valid: false });
    }
  });

  it('uses only .Values paths that exist in values.yaml', () => {
    const missing: string[] = [];
    for (const [name, text] of Object.entries(templates)) {
      for (const [, dotted] of text.matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)) {
        if (at(values, dotted!.replace(/\.$/, '')) === undefined) missing.push(`${name}: .Values.${dotted}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('balances every template action block', () => {
    for (const [name, text] of Object.entries(templates)) {
      const opened = [...text.matchAll(/\{\{-?\s*(if|range|with|define)\b/g)].length;
      const closed = [...text.matchAll(/\{\{-?\s*end\s*-?\}\}/g)].length;
      expect({ name, opened }).toEqual({ name, opened: closed });
      expect({ name, braces: text.split('{{').length }).toEqual({ name, braces: text.split('}}').length });
    }
  });

  it('probes /health (liveness) and /health/ready (readiness) on the named port', () => {
    const deployment = templates['deployment.yaml']!;
    expect(deployment).toMatch(/livenessProbe:\s*\n\s*httpGet:\s*\n\s*path: \/health\s*\n\s*port: http/);
    expect(deployment).toMatch(/readinessProbe:\s*\n\s*httpGet:\s*\n\s*path: \/health\/ready\s*\n\s*port: http/);
    expect(deployment).toMatch(/- name: http\s*\n\s*containerPort: \{\{ \.Values\.containerPort \}\}/);
    expect(values.containerPort).toBe(8080);
    expect(readRepoFile('eks-analytics/src/config/analytics-config.ts')).toContain('ANALYTICS_PORT: number | string = 8080');
  });

  it('hardens the pod: non-root, read-only root filesystem, no capabilities, no escalation', () => {
    const deployment = templates['deployment.yaml']!;
    expect(deployment).toContain('{{- toYaml .Values.podSecurityContext | nindent 8 }}');
    expect(deployment).toContain('{{- toYaml .Values.securityContext | nindent 12 }}');
    expect(values.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    // The read-only root filesystem leaves /tmp as the only writable place, and DATA_DIR points there.
    expect(deployment).toMatch(/mountPath: \/tmp\b/);
    expect(deployment).toMatch(/name: DATA_DIR\s*\n\s*value: \/tmp\//);
    // The image's user is the one the chart runs as.
    expect(readRepoFile('eks-analytics/Dockerfile')).toContain(`USER ${String((values.securityContext as JsonObject).runAsUser)}:`);
    expect(deployment).toContain('{{- toYaml .Values.resources | nindent 12 }}');
    expect(values.resources).toMatchObject({ requests: { cpu: expect.any(String), memory: expect.any(String) }, limits: { memory: expect.any(String) } });
  });

  it('scales with an autoscaling/v2 HPA, leaving replicas out of the deployment when it is on', () => {
    expect(templates['hpa.yaml']).toContain('apiVersion: autoscaling/v2');
    expect(templates['hpa.yaml']).toMatch(/^\{\{- if \.Values\.autoscaling\.enabled \}\}/);
    expect(templates['deployment.yaml']).toMatch(/\{\{- if not \.Values\.autoscaling\.enabled \}\}\s*\n\s*replicas: \{\{ \.Values\.replicaCount \}\}\s*\n\s*\{\{- end \}\}/);
    expect(templates['pdb.yaml']).toContain('apiVersion: policy/v1');
    expect(templates['ingress.yaml']).toMatch(/^\{\{- if \.Values\.ingress\.enabled -\}\}/);
    for (const name of ['_helpers.tpl', 'NOTES.txt', 'service.yaml', 'serviceaccount.yaml']) expect(templates[name]).toBeDefined();
  });

  it('annotates the service account for IRSA, with the name and namespace Terraform trusts', async () => {
    expect(templates['serviceaccount.yaml']).toContain('{{- with .Values.serviceAccount.annotations }}');
    expect(values.serviceAccount).toMatchObject({ create: true, annotations: { 'eks.amazonaws.com/role-arn': '' } });
    const tf = await loadTerraform();
    expect(tf.variables.analytics_service_account?.default).toBe((values.serviceAccount as JsonObject).name);
    // The nodes are Graviton: the pods ask for arm64.
    expect(values.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    expect(String(tf.resources.aws_eks_node_group?.main?.ami_type)).toContain('ARM_64');
  });

  it('configures the service only with variables it reads, in DynamoDB and Cost Explorer mode', () => {
    const known = analyticsEnvironmentVariables();
    const config = values.config as JsonObject;
    const agreed = new Set<string>(AGREED_DYNAMODB_VARIABLES);
    expect(Object.keys(config).filter((name) => !known.has(name) && !agreed.has(name) && !isAwsSdkVariable(name))).toEqual([]);
    expect(config).toMatchObject({ STORE: 'dynamodb', COST_SOURCE: 'cost-explorer', ANALYTICS_HOST: '0.0.0.0' });
    const deployment = templates['deployment.yaml']!;
    for (const [, name] of deployment.matchAll(/- name: ([A-Z][A-Z0-9_]*)\n/g)) expect(known).toContain(name);
    expect(deployment).toContain('{{- range $name, $value := .Values.config }}');
  });
});
