import { METRIC, METRICS_NAMESPACE } from '../../src/handler/order-metrics.js';
import { EMF_LINE_BYTES } from '../../src/services/request-metering.js';
import { validOrderBody } from '../fixtures/valid-order.js';
import { startTestApi, type TestApi } from '../support/test-api.js';

interface EmfDocument {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

describe('CloudWatch metrics as EMF lines (no PutMetricData on the order path)', () => {
  let api: TestApi;
  const documents: EmfDocument[] = [];

  beforeAll(async () => {
    api = await startTestApi({}, { metricsSink: (document) => documents.push(document as EmfDocument) });
  });
  afterAll(async () => {
    await api.stop();
  });
  beforeEach(() => {
    documents.length = 0;
  });

  function metricNames(document: EmfDocument): string[] {
    return document._aws.CloudWatchMetrics[0]!.Metrics.map((metric) => metric.Name).sort();
  }

  it('emits one document per screened order with its status dimension, score and cost', async () => {
    const response = await api.post('/orders', validOrderBody({ orderId: 'EMF-1' }));
    expect(documents).toHaveLength(1);
    const [document] = documents as [EmfDocument];
    const definition = document._aws.CloudWatchMetrics[0]!;
    expect(definition.Namespace).toBe(METRICS_NAMESPACE);
    expect(definition.Dimensions).toEqual([['service', 'status']]);
    expect(metricNames(document)).toEqual([METRIC.fraudScore, METRIC.ordersProcessed, METRIC.processingCost].sort());
    expect(document).toMatchObject({
      service: 'order-processor',
      status: response.body.status,
      [METRIC.ordersProcessed]: 1,
      [METRIC.fraudScore]: response.body.aiScore,
      [METRIC.processingCost]: (response.body.costMetrics as { totalProcessingCost: number }).totalProcessingCost,
    });
    // The order's CloudWatch cost counts an EMF line of this size (it is part of the log bytes priced).
    const bytes = Buffer.byteLength(JSON.stringify(document));
    expect(Math.abs(bytes - EMF_LINE_BYTES) / EMF_LINE_BYTES).toBeLessThan(0.2);
  });

  it('counts refused requests, replays and reviews, each in its own document', async () => {
    await api.post('/orders', { ...validOrderBody({ orderId: 'EMF-2' }), items: [] });
    await api.postRaw('/orders', '{"orderId":', 'application/json');
    await api.post('/orders', validOrderBody({ orderId: 'EMF-3' }));
    await api.post('/orders', validOrderBody({ orderId: 'EMF-3' }));
    expect(documents.map(metricNames)).toEqual([
      [METRIC.validationErrors],
      [METRIC.validationErrors],
      [METRIC.fraudScore, METRIC.ordersProcessed, METRIC.processingCost].sort(),
      [METRIC.idempotentReplays],
    ]);
    expect(documents[0]).toMatchObject({ [METRIC.validationErrors]: 1 });
  });

  it('keeps concurrent requests apart: 20 orders at once give 20 documents of one order each', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, index) => api.post('/orders', validOrderBody({ orderId: `EMF-PAR-${index}` }))));
    expect(documents).toHaveLength(20);
    for (const document of documents) expect(document[METRIC.ordersProcessed]).toBe(1);
  });
});
