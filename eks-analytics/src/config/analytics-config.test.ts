import path from 'node:path';
import { AnalyticsConfigError, validate } from './analytics-config.js';

describe('analytics configuration', () => {
  it('has a default for every variable (the local run needs none)', () => {
    expect(validate({})).toEqual({
      analytics: {
        port: 8080,
        host: '127.0.0.1',
        dataDir: path.resolve('.data'),
        sqliteFile: path.join(path.resolve('.data'), 'orderops.sqlite'),
        store: 'sqlite',
        dynamodb: null,
        costSource: 'none',
        costExportFile: null,
        costExplorer: null,
        logLevel: 'info',
      },
    });
  });

  it('reads every variable, trimming blanks and resolving paths', () => {
    const { analytics } = validate({
      ANALYTICS_PORT: ' 9090 ',
      ANALYTICS_HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/orderops',
      STORE: 'sqlite',
      COST_SOURCE: 'focus-file',
      COST_EXPORT_FILE: 'exports/focus.csv',
      LOG_LEVEL: 'DEBUG',
      UNRELATED: 'ignored',
    });
    expect(analytics).toEqual({
      port: 9090,
      host: '0.0.0.0',
      dataDir: '/var/lib/orderops',
      sqliteFile: '/var/lib/orderops/orderops.sqlite',
      store: 'sqlite',
      dynamodb: null,
      costSource: 'focus-file',
      costExportFile: path.resolve('exports/focus.csv'),
      costExplorer: null,
      logLevel: 'debug',
    });
  });

  it('treats blank values as unset, and port 0 as "pick a free port"', () => {
    expect(validate({ ANALYTICS_PORT: '', DATA_DIR: '  ', LOG_LEVEL: '' }).analytics).toMatchObject({ port: 8080, dataDir: path.resolve('.data'), logLevel: 'info' });
    expect(validate({ ANALYTICS_PORT: '0' }).analytics.port).toBe(0);
  });

  it('keeps quiet under jest unless LOG_LEVEL says otherwise', () => {
    expect(validate({ NODE_ENV: 'test' }).analytics.logLevel).toBe('silent');
    expect(validate({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }).analytics.logLevel).toBe('warn');
  });

  it.each([
    ['99999', 'ANALYTICS_PORT=99999 must be an integer from 0 to 65535'],
    ['80.5', 'ANALYTICS_PORT=80.5 must be an integer from 0 to 65535'],
    ['-1', 'ANALYTICS_PORT=-1 must be an integer from 0 to 65535'],
    ['http', 'ANALYTICS_PORT=http must be an integer from 0 to 65535'],
    ['0x50', 'ANALYTICS_PORT=0x50 must be an integer from 0 to 65535'],
  ])('refuses ANALYTICS_PORT=%s', (value, message) => {
    expect(() => validate({ ANALYTICS_PORT: value })).toThrow(new AnalyticsConfigError(`Invalid analytics configuration: ${message}`));
  });

  it('reads STORE=dynamodb with the order API\'s own table variables, checked by its loadConfig', () => {
    const { analytics } = validate({ STORE: 'dynamodb', ORDERS_TABLE: ' orderops-orders ', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', ROLLUP_SHARDS: '4', AWS_REGION: 'eu-west-1' });
    expect(analytics.store).toBe('dynamodb');
    expect(analytics.dynamodb).toEqual({ tableName: 'orderops-orders', endpoint: 'http://127.0.0.1:8000/', rollupShards: 4, region: 'eu-west-1' });
    expect(validate({ STORE: 'dynamodb', ORDERS_TABLE: 'orders' }).analytics.dynamodb).toEqual({ tableName: 'orders', endpoint: null, rollupShards: 10, region: 'us-east-1' });
    // The table variables mean nothing to the SQLite store.
    expect(validate({ STORE: 'sqlite', ORDERS_TABLE: '!', ROLLUP_SHARDS: 'many' }).analytics.dynamodb).toBeNull();
  });

  it.each([
    [{}, 'ORDERS_TABLE is required when STORE=dynamodb'],
    [{ ORDERS_TABLE: 'x!' }, 'ORDERS_TABLE=x! is not a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ - .)'],
    [{ ORDERS_TABLE: 'orders', ROLLUP_SHARDS: '0' }, 'ROLLUP_SHARDS=0 must be an integer from 1 to 100'],
  ])('refuses STORE=dynamodb with %j', (env, message) => {
    expect(() => validate({ STORE: 'dynamodb', ...env })).toThrow(new AnalyticsConfigError(`Invalid analytics configuration: ${message}`));
  });

  it('refuses an unknown STORE', () => {
    expect(() => validate({ STORE: 'postgres' })).toThrow('STORE=postgres is not supported; use one of: sqlite, dynamodb');
  });

  it('requires COST_EXPORT_FILE when COST_SOURCE=focus-file, and only then', () => {
    expect(() => validate({ COST_SOURCE: 'focus-file' })).toThrow(
      'Invalid analytics configuration: COST_EXPORT_FILE is required when COST_SOURCE=focus-file (the path of a FOCUS 1.x or CUR 2.0 CSV export)',
    );
    expect(() => validate({ COST_SOURCE: 'focus-file', COST_EXPORT_FILE: '   ' })).toThrow('COST_EXPORT_FILE is required when COST_SOURCE=focus-file');
    // Without the file source the variable is irrelevant and not reported.
    expect(validate({ COST_SOURCE: 'none', COST_EXPORT_FILE: 'focus.csv' }).analytics.costExportFile).toBeNull();
    expect(() => validate({ COST_SOURCE: 'csv' })).toThrow('COST_SOURCE=csv is not supported; use one of: none, focus-file, cost-explorer');
  });

  it('reads the Cost Explorer settings when COST_SOURCE=cost-explorer, with defaults', () => {
    expect(validate({ COST_SOURCE: 'cost-explorer' }).analytics).toMatchObject({
      costSource: 'cost-explorer',
      costExportFile: null,
      costExplorer: { tagKey: 'project', tagValue: 'orderops', metric: 'UnblendedCost', cacheTtlSeconds: 21600, region: 'us-east-1', endpoint: null },
    });
    expect(
      validate({
        COST_SOURCE: 'cost-explorer',
        COST_ALLOCATION_TAG_KEY: 'cost-center',
        COST_ALLOCATION_TAG_VALUE: 'orderops-prod',
        COST_EXPLORER_METRIC: 'NetUnblendedCost',
        COST_CACHE_TTL_SECONDS: '0',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_COST_EXPLORER: 'http://127.0.0.1:4599',
      }).analytics.costExplorer,
    ).toEqual({ tagKey: 'cost-center', tagValue: 'orderops-prod', metric: 'NetUnblendedCost', cacheTtlSeconds: 0, region: 'eu-west-1', endpoint: 'http://127.0.0.1:4599' });
    // Irrelevant, and not checked, without the Cost Explorer source.
    expect(validate({ COST_ALLOCATION_TAG_KEY: 'x', COST_CACHE_TTL_SECONDS: '6h' }).analytics.costExplorer).toBeNull();
  });

  it('refuses a bad Cost Explorer setting, naming it', () => {
    expect(() => validate({ COST_SOURCE: 'cost-explorer', COST_EXPLORER_METRIC: 'BlendedCost' })).toThrow(
      'COST_EXPLORER_METRIC=BlendedCost is not supported; use one of: UnblendedCost, NetUnblendedCost',
    );
    expect(() => validate({ COST_SOURCE: 'cost-explorer', COST_CACHE_TTL_SECONDS: '6h' })).toThrow(
      'COST_CACHE_TTL_SECONDS=6h must be a whole number of seconds (0 disables the cache)',
    );
    expect(() => validate({ COST_SOURCE: 'cost-explorer', AWS_ENDPOINT_URL_COST_EXPLORER: 'localhost:4599' })).toThrow(
      'AWS_ENDPOINT_URL_COST_EXPLORER=localhost:4599 must be an http(s) URL',
    );
  });

  it('refuses an unknown LOG_LEVEL', () => {
    expect(() => validate({ LOG_LEVEL: 'verbose' })).toThrow('LOG_LEVEL=verbose is not supported; use one of: fatal, error, warn, info, debug, trace, silent');
  });

  it('names every bad variable at once', () => {
    expect(() => validate({ ANALYTICS_PORT: '70000', STORE: 'postgres', COST_SOURCE: 'focus-file' })).toThrow(
      /ANALYTICS_PORT=70000 must be an integer from 0 to 65535; STORE=postgres is not supported.*; COST_EXPORT_FILE is required when COST_SOURCE=focus-file/,
    );
  });
});
