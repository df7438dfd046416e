import { parse } from '@cdktf/hcl2json';
import yaml from 'js-yaml';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reading the repository's infrastructure files (terraform/, helm/, buildspec.yml,
 * docker-compose.yml, eks-analytics/Dockerfile) for the offline checks: neither the terraform nor
 * the helm binary is needed, the files are parsed here and compared with the code they deploy.
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TERRAFORM_DIR = path.join(REPO_ROOT, 'terraform');
export const CHART_DIR = path.join(REPO_ROOT, 'helm/orderops-analytics');

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function repoPath(relative: string): string {
  return path.join(REPO_ROOT, relative);
}

export function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** js-yaml ships no types; this is the one function the checks use. */

export function loadYaml(relative: string): JsonObject {
  const value = yaml.load(readRepoFile(relative)) as Json;
  if (!isObject(value)) throw new Error(`${relative} is not a YAML mapping`);
  return value;
}

/** Every .tf file of terraform/, by file name. */
export function terraformFiles(): string[] {
  return readdirSync(TERRAFORM_DIR)
    .filter((name) => name.endsWith('.tf'))
    .sort();
}

export interface TerraformConfig {
  /** hcl2json's JSON of each file. */
  files: Record<string, JsonObject>;
  /** `resource` blocks: type -> name -> body (the first, and only, body of that address). */
  resources: Record<string, Record<string, JsonObject>>;
  data: Record<string, Record<string, JsonObject>>;
  variables: Record<string, JsonObject>;
  locals: JsonObject;
  outputs: Record<string, JsonObject>;
  modules: Record<string, JsonObject>;
  providers: Record<string, JsonObject[]>;
}

function single(value: Json | undefined, where: string): JsonObject {
  const body = Array.isArray(value) ? value[0] : value;
  if (!isObject(body)) throw new Error(`${where}: expected one block`);
  return body;
}

function collectTyped(target: Record<string, Record<string, JsonObject>>, section: Json | undefined, where: string): void {
  if (!isObject(section)) return;
  for (const [type, byName] of Object.entries(section)) {
    if (!isObject(byName)) continue;
    for (const [name, body] of Object.entries(byName)) {
      const byType = (target[type] ??= {});
      if (byType[name]) throw new Error(`${where}: ${type}.${name} is declared twice`);
      byType[name] = single(body, `${where} ${type}.${name}`);
    }
  }
}

function collectNamed(target: Record<string, JsonObject>, section: Json | undefined, where: string): void {
  if (!isObject(section)) return;
  for (const [name, body] of Object.entries(section)) {
    if (target[name]) throw new Error(`${where}: ${name} is declared twice`);
    target[name] = single(body, `${where} ${name}`);
  }
}

let cached: Promise<TerraformConfig> | undefined;

/** Parses every .tf file once per test file (hcl2json runs the HCL parser in WebAssembly). */
export function loadTerraform(): Promise<TerraformConfig> {
  cached ??= (async () => {
    const config: TerraformConfig = { files: {}, resources: {}, data: {}, variables: {}, locals: {}, outputs: {}, modules: {}, providers: {} };
    for (const file of terraformFiles()) {
      const parsed = (await parse(file, readFileSync(path.join(TERRAFORM_DIR, file), 'utf8'))) as JsonObject;
      config.files[file] = parsed;
      collectTyped(config.resources, parsed.resource, file);
      collectTyped(config.data, parsed.data, file);
      collectNamed(config.variables, parsed.variable, file);
      collectNamed(config.outputs, parsed.output, file);
      collectNamed(config.modules, parsed.module, file);
      for (const block of Array.isArray(parsed.locals) ? parsed.locals : []) {
        if (!isObject(block)) continue;
        for (const [name, value] of Object.entries(block)) {
          if (name in config.locals) throw new Error(`${file}: local.${name} is declared twice`);
          config.locals[name] = value;
        }
      }
      if (isObject(parsed.provider)) {
        for (const [name, bodies] of Object.entries(parsed.provider)) {
          (config.providers[name] ??= []).push(...(Array.isArray(bodies) ? bodies.filter(isObject) : []));
        }
      }
    }
    return config;
  })();
  return cached;
}

/** Every string in a parsed document, object keys included (HCL map keys can be expressions). */
export function allStrings(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (isObject(value)) return Object.entries(value).flatMap(([key, inner]) => [key, ...allStrings(inner)]);
  return [];
}

/** Every object nested anywhere in a document (blocks are arrays of objects in hcl2json). */
export function allObjects(value: Json | undefined): JsonObject[] {
  if (Array.isArray(value)) return value.flatMap(allObjects);
  if (isObject(value)) return [value, ...Object.values(value).flatMap(allObjects)];
  return [];
}

/** A block attribute as a list of bodies (`statement`, `metric_query`...). */
export function blocks(body: JsonObject, name: string): JsonObject[] {
  const value = body[name];
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

export function stringList(value: Json | undefined): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string');
}

/**
 * Environment variable names a source tree reads: `env.NAME`, `env?.NAME`, `env['NAME']` and the
 * helpers' `(env, 'NAME'` calls (oneOf, numberIn, required...).
 */
export function environmentVariablesReadIn(relativeDir: string): Set<string> {
  const names = new Set<string>();
  const patterns = [/\benv\??\.([A-Z][A-Z0-9_]*)\b/g, /\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]/g, /\(env, '([A-Z][A-Z0-9_]*)'/g];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
        const text = readFileSync(full, 'utf8');
        for (const pattern of patterns) for (const match of text.matchAll(pattern)) names.add(match[1]!);
      }
    }
  };
  walk(repoPath(relativeDir));
  return names;
}

/** The analytics service's variables: the properties of its AnalyticsEnvironment schema class. */
export function analyticsEnvironmentVariables(): Set<string> {
  const source = readRepoFile('eks-analytics/src/config/analytics-config.ts');
  const start = source.indexOf('export class AnalyticsEnvironment');
  const end = source.indexOf('\n}\n', start);
  if (start < 0 || end < 0) throw new Error('AnalyticsEnvironment not found in analytics-config.ts');
  const names = new Set<string>();
  for (const match of source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]*)\??[:=! ]/gm)) names.add(match[1]!);
  for (const name of environmentVariablesReadIn('eks-analytics/src')) names.add(name);
  return names;
}

/**
 * The DynamoDB-mode variables of the order processor's configuration (ORDERS_TABLE, ROLLUP_SHARDS,
 * DYNAMODB_ENDPOINT), which the analytics service's configuration will read with the same names
 * when its STORE=dynamodb arrives (issue 4): tolerated in the chart and the compose file until then.
 */
export const AGREED_DYNAMODB_VARIABLES = ['ORDERS_TABLE', 'ROLLUP_SHARDS', 'DYNAMODB_ENDPOINT'] as const;

/** Variables read by the AWS SDK itself (credentials, region, endpoint overrides), not by our code. */
export function isAwsSdkVariable(name: string): boolean {
  return /^AWS_(REGION|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|ENDPOINT_URL(_[A-Z0-9_]+)?)$/.test(name);
}

export function exists(relative: string): boolean {
  return existsSync(repoPath(relative));
}
