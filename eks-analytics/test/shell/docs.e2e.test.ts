import { startAnalytics, type StartedAnalytics } from '../support/analytics-app.js';

interface Operation {
  tags?: string[];
  summary?: string;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string; type?: string } }> }>;
}

describe('OpenAPI document', () => {
  let analytics: StartedAnalytics;
  let document: { openapi: string; info: Record<string, string>; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    analytics = await startAnalytics({});
    document = (await analytics.http.get('/docs-json').expect(200).expect('content-type', /application\/json/)).body as typeof document;
  });
  afterAll(async () => {
    await analytics.close();
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await analytics.http.get('/docs').expect(200).expect('content-type', /text\/html/);
    expect(response.text).toContain('swagger-ui');
  });

  it('describes the service', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'OrderOps analytics', version: '0.1.0' });
    expect(document.info.description).toContain('YYYY-MM-DD');
  });

  it.each([
    ['/health', 'health', 'HealthCheckResponseDto', ['200']],
    ['/health/ready', 'health', 'HealthCheckResponseDto', ['200', '503']],
    ['/actuator/health', 'health', 'ActuatorHealthDto', ['200', '503']],
  ])('documents GET %s with its response schema', (route, tag, schema, statuses) => {
    const operation = document.paths[route]?.get;
    expect(operation?.tags).toEqual([tag]);
    expect(operation?.summary).toBeTruthy();
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(statuses);
    for (const status of statuses) {
      expect(operation?.responses[status]?.content?.['application/json']?.schema?.$ref).toBe(`#/components/schemas/${schema}`);
    }
  });

  it('documents GET /metrics as Prometheus text', () => {
    const operation = document.paths['/metrics']?.get;
    expect(operation?.tags).toEqual(['metrics']);
    expect(operation?.responses['200']?.content?.['text/plain; version=0.0.4; charset=utf-8']?.schema?.type).toBe('string');
  });

  it('documents every response DTO', () => {
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['HealthCheckResponseDto', 'HealthIndicatorDto', 'ActuatorHealthDto']));
    expect(document.components.schemas.ActuatorHealthDto).toEqual({
      type: 'object',
      properties: { status: { type: 'string', enum: ['UP', 'DOWN'], example: 'UP' } },
      required: ['status'],
    });
  });
});
