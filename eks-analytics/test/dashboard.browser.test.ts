/**
 * The dashboard at `/` in a real browser (Debian's Chromium driven by playwright-core) against the
 * real analytics application on a store seeded through the order processor's own write path.
 *
 * Chromium: scripts/install-test-tools.sh installs /usr/bin/chromium. Without it this suite fails under
 * CI (CI set and not "false") and is skipped with a message elsewhere.
 */
import { nanosToDollars, sumNanos } from '@orderops/lambda-order-processor/domain/costs/money';
import type { CostBreakdown } from '@orderops/lambda-order-processor/domain/order/order';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePublicDir } from '../src/dashboard/dashboard.controller.js';
import { startAnalytics } from './support/analytics-app.js';
import type { StartedAnalytics } from './support/analytics-app.js';
import { approvedOrderBody, pendingReviewOrderBody, rejectedOrderBody, seedOrderStore } from './support/seed.js';
import type { SeededOrder, SeedOrder } from './support/seed.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = '/tmp/dashboard.png';
const IN_CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(`dashboard browser test SKIPPED: ${CHROMIUM} not found. Install it with scripts/install-test-tools.sh.`);
}
const describeInBrowser = HAVE_CHROMIUM || IN_CI ? describe : describe.skip;

// ---------------------------------------------------------------------------------------------
// Seed: known orders on known days. The range has empty days at both ends and one in the middle.
// ---------------------------------------------------------------------------------------------

const RANGE = { startDate: '2026-03-01', endDate: '2026-03-06' };
const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];

type Kind = 'approved' | 'pending' | 'rejected';
const BODY: Record<Kind, () => Record<string, unknown>> = {
  approved: approvedOrderBody,
  pending: pendingReviewOrderBody,
  rejected: rejectedOrderBody,
};

function order(day: string, hour: number, kind: Kind, review?: { decision: 'APPROVED' | 'REJECTED'; at: string }): SeedOrder {
  const at = `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;
  return { at, body: BODY[kind](), ...(review ? { review: { ...review, reviewer: 'ana@risk-team' } } : {}) };
}

/** Screened: 03-02 3A 1P 1R; 03-03 2A 3P; 03-05 1A 2P 2R. Reviews: one 03-03 pending approved (on 03-04), one 03-05 pending rejected (on 03-06). */
function seedOrders(): SeedOrder[] {
  return [
    order('2026-03-02', 8, 'approved'),
    order('2026-03-02', 9, 'pending'),
    order('2026-03-02', 10, 'approved'),
    order('2026-03-02', 11, 'rejected'),
    order('2026-03-02', 12, 'approved'),
    order('2026-03-03', 9, 'pending'),
    order('2026-03-03', 10, 'approved'),
    order('2026-03-03', 11, 'pending', { decision: 'APPROVED', at: '2026-03-04T10:00:00.000Z' }),
    order('2026-03-03', 13, 'pending'),
    order('2026-03-03', 15, 'approved'),
    order('2026-03-05', 8, 'pending', { decision: 'REJECTED', at: '2026-03-06T09:00:00.000Z' }),
    order('2026-03-05', 9, 'rejected'),
    order('2026-03-05', 10, 'approved'),
    order('2026-03-05', 14, 'pending'),
    order('2026-03-05', 16, 'rejected'),
  ];
}

/** Per day of RANGE after the reviews (a review moves the count on the order's own day). */
const EXPECTED_BY_STATUS: Record<string, number[]> = {
  Approved: [0, 3, 3, 0, 1, 0],
  'Pending review': [0, 1, 2, 0, 1, 0],
  Rejected: [0, 1, 0, 0, 3, 0],
};

// ---------------------------------------------------------------------------------------------
// What the page exposes for tests
// ---------------------------------------------------------------------------------------------

interface ChartSnapshot {
  type: string;
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
}
interface DashboardSnapshot {
  ready: boolean;
  state: string;
  lastError: string | null;
  renders: number;
  charts: Record<string, ChartSnapshot>;
}
interface PageChart {
  config: { type: string };
  data: { labels: unknown[]; datasets: { label: string; data: (number | null)[] }[] };
}
interface PageDashboard {
  ready: boolean;
  state: string;
  lastError: string | null;
  renders: number;
  charts: Record<string, PageChart>;
}

/** window.__dashboard, with the charts' data copied out of the page. */
function snapshot(page: Page): Promise<DashboardSnapshot> {
  return page.evaluate(() => {
    const dashboard = (globalThis as unknown as { __dashboard: PageDashboard }).__dashboard;
    const charts: Record<string, ChartSnapshot> = {};
    for (const [id, chart] of Object.entries(dashboard.charts)) {
      charts[id] = {
        type: chart.config.type,
        labels: chart.data.labels.map(String),
        datasets: chart.data.datasets.map((dataset) => ({ label: dataset.label, data: [...dataset.data] })),
      };
    }
    return { ready: dashboard.ready, state: dashboard.state, lastError: dashboard.lastError, renders: dashboard.renders, charts };
  });
}

function waitForRender(page: Page, after = 0): Promise<unknown> {
  return page.waitForFunction(
    (renders) => {
      const dashboard = (globalThis as unknown as { __dashboard?: PageDashboard }).__dashboard;
      return dashboard?.ready === true && dashboard.renders > renders;
    },
    after,
    { timeout: 15_000 },
  );
}

function dataset(chart: ChartSnapshot | undefined, label: string): (number | null)[] {
  const found = chart?.datasets.find((d) => d.label === label);
  if (!found) throw new Error(`no dataset "${label}" in ${JSON.stringify(chart?.datasets.map((d) => d.label))}`);
  return found.data;
}

function kpi(page: Page, name: string): Promise<string> {
  return page.locator(`[data-kpi="${name}"] [data-value]`).innerText();
}

/** "$0.000253" -> 0.000253 */
function dollars(text: string): number {
  return Number(text.replace(/[$,]/g, ''));
}

function sumCosts(orders: readonly SeededOrder[], key: keyof CostBreakdown): number {
  return nanosToDollars(sumNanos(orders.map((o) => o.costNanos[key])));
}

function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}
function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------

describe('dashboard assets (HTTP)', () => {
  let analytics: StartedAnalytics;

  beforeAll(async () => {
    analytics = await startAnalytics();
  });
  afterAll(async () => {
    await analytics?.close();
  });

  it('serves the page uncached, limited to its own origin, loading Chart.js from the service', async () => {
    const response = await analytics.http.get('/').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(response.text).toMatch(/<script src="\/assets\/vendor\/[0-9a-f]{16}\/chart\.umd\.js" defer><\/script>/);
    expect(response.text).not.toContain('%%');
    expect(response.text).not.toMatch(/https?:\/\//);
  });

  it('serves Chart.js from node_modules with a year-long immutable cache under a content-hashed URL', async () => {
    const page = await analytics.http.get('/').expect(200);
    const src = /src="(\/assets\/vendor\/[0-9a-f]{16}\/chart\.umd\.js)"/.exec(page.text)?.[1];
    expect(src).toBeDefined();
    const vendor = await analytics.http.get(src!).expect(200);
    expect(vendor.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(vendor.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(vendor.text.startsWith('/*!\n * Chart.js v4.')).toBe(true);
    const map = await analytics.http.get(`${src!}.map`).expect(200);
    expect(map.headers['content-type']).toBe('application/json; charset=utf-8');
    await analytics.http.get('/assets/vendor/0123456789abcdef/chart.umd.js').expect(404);
  });

  it('serves the page script and styles with their content types, and nothing else from the folder', async () => {
    const script = await analytics.http.get('/assets/dashboard.js').expect(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('no-cache');
    expect(script.text).toContain('window.__dashboard');
    const css = await analytics.http.get('/assets/dashboard.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    await analytics.http.get('/assets/index.html').expect(404);
    await analytics.http.get('/assets/..%2Fdashboard.controller.ts').expect(404);
  });

  it('keeps the page out of the OpenAPI document', async () => {
    const document = await analytics.http.get('/docs-json').expect(200);
    const paths = Object.keys((document.body as { paths: Record<string, unknown> }).paths);
    expect(paths).toContain('/api/finops/metrics');
    expect(paths.filter((p) => p === '/' || p.startsWith('/assets'))).toEqual([]);
  });

  it('finds the page files from dist/ as from src/ (dist and src are siblings)', () => {
    const source = fileURLToPath(new URL('../src/dashboard/public/', import.meta.url));
    const fromDist = new URL('../dist/dashboard/dashboard.controller.js', import.meta.url).href;
    const fromSrc = new URL('../src/dashboard/dashboard.controller.ts', import.meta.url).href;
    expect(resolvePublicDir(fromDist)).toBe(source);
    expect(resolvePublicDir(fromSrc)).toBe(source);
  });
});

describeInBrowser('dashboard in Chromium', () => {
  let dataDir: string;
  const seeds = seedOrders();
  let seeded: SeededOrder[];
  let analytics: StartedAnalytics;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`${CHROMIUM} is missing: run scripts/install-test-tools.sh (CI must install it)`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'dashboard-'));
    seeded = await seedOrderStore(dataDir, seeds);
    analytics = await startAnalytics({ DATA_DIR: dataDir });
    // launch() gives every browser a fresh temporary profile (user data dir), removed on close.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    await page.goto(`${analytics.url}/?startDate=${RANGE.startDate}&endDate=${RANGE.endDate}`);
    await waitForRender(page);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await analytics?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('rendered every chart for the seeded range without an error', async () => {
    const dashboard = await snapshot(page);
    expect(dashboard).toMatchObject({ ready: true, state: 'ready', lastError: null, renders: 1 });
    expect(Object.keys(dashboard.charts).sort()).toEqual([
      'chart-cost-by-service',
      'chart-cost-per-order',
      'chart-estimated-vs-actual',
      'chart-orders-by-status',
      'chart-score-distribution',
    ]);
    expect(await page.locator('#start-date').inputValue()).toBe(RANGE.startDate);
    expect(await page.locator('#end-date').inputValue()).toBe(RANGE.endDate);
    expect(await page.locator('#range-label').innerText()).toBe('Mar 1, 2026 – Mar 6, 2026 · 6 days (UTC)');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('stacks the seeded orders by status per day, empty days included, reviews counted on the order day', async () => {
    const chart = (await snapshot(page)).charts['chart-orders-by-status'];
    expect(chart?.type).toBe('bar');
    expect(chart?.labels).toEqual(DAYS);
    for (const [label, counts] of Object.entries(EXPECTED_BY_STATUS)) expect(dataset(chart, label)).toEqual(counts);
  });

  it('shows the seeded totals in the KPI tiles', async () => {
    expect(await kpi(page, 'totalOrders')).toBe('15');
    expect(await kpi(page, 'approvedOrders')).toBe('7');
    expect(await kpi(page, 'rejectedOrders')).toBe('4');
    expect(await kpi(page, 'pendingReviewOrders')).toBe('4');
    // Three $5,000 gift-card orders rejected at screening plus one $2,500 order rejected by a reviewer.
    expect(await kpi(page, 'blockedFraudAmount')).toBe('$17,500.00');
    expect(await page.locator('[data-kpi="approvedOrders"] [data-note]').innerText()).toBe('46.7% of orders');

    // Costs are measured (Lambda duration), so they are compared with the stored nano-dollars: the
    // tiles round to 3 (total) and 2 (per order) significant digits.
    const totalCost = sumCosts(seeded, 'total');
    expect(totalCost).toBeGreaterThan(0);
    const shownTotal = dollars(await kpi(page, 'totalProcessingCost'));
    expect(Math.abs(shownTotal - totalCost) / totalCost).toBeLessThanOrEqual(0.005);
    const shownPerOrder = dollars(await kpi(page, 'costPerOrder'));
    expect(Math.abs(shownPerOrder - totalCost / 15) / (totalCost / 15)).toBeLessThanOrEqual(0.05);
  });

  it('plots the exact estimated cost by service and per order per day', async () => {
    const { charts } = await snapshot(page);
    const byService = charts['chart-cost-by-service'];
    const expected: Record<string, number> = {
      'Bedrock (AI)': sumCosts(seeded, 'bedrock'),
      Lambda: sumCosts(seeded, 'lambda'),
      DynamoDB: sumCosts(seeded, 'dynamodb'),
      S3: sumCosts(seeded, 's3'),
      SNS: sumCosts(seeded, 'sns'),
      'API Gateway': sumCosts(seeded, 'apiGateway'),
      CloudWatch: sumCosts(seeded, 'cloudwatch'),
    };
    const shown = Object.fromEntries(byService!.labels.map((label, i) => [label, byService!.datasets[0]!.data[i]]));
    expect(shown).toEqual(expected);
    // Sorted largest first.
    const values = byService!.datasets[0]!.data as number[];
    expect([...values].sort((a, b) => b - a)).toEqual(values);

    const perOrder = dataset(charts['chart-cost-per-order'], 'Cost per order');
    expect(charts['chart-cost-per-order']?.labels).toEqual(DAYS);
    DAYS.forEach((day, i) => {
      const ofDay = seeded.filter((o) => o.day === day);
      if (ofDay.length === 0) expect(perOrder[i]).toBeNull();
      // The API rounds cost per order to the nano-dollar.
      else expect(perOrder[i]).toBe(nanosToDollars(Math.round(sumNanos(ofDay.map((o) => o.costNanos.total)) / ofDay.length)));
    });
  });

  it('shows the score distribution 0..10 of the screened orders, summing to the number of orders', async () => {
    const chart = (await snapshot(page)).charts['chart-score-distribution'];
    expect(chart?.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    const counts = chart!.datasets[0]!.data as number[];
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(15);
    // Approved builder scores 9.2, pending 5.6, rejected 2 (floored into buckets); reviews keep the screening score.
    expect(counts).toEqual([0, 0, 3, 0, 0, 6, 0, 0, 0, 6, 0]);
    const fromAnswers = Array.from({ length: 11 }, (_, score) => seeded.filter((o) => Math.floor(o.aiScore) === score).length);
    expect(counts).toEqual(fromAnswers);
  });

  it('says actual costs are unavailable instead of showing a number', async () => {
    const chart = (await snapshot(page)).charts['chart-estimated-vs-actual'];
    expect(dataset(chart, 'Actual (unavailable)')).toEqual([null, null, null, null, null, null, null]);
    expect(dataset(chart, 'Estimated').reduce<number>((sum, v) => sum + (v ?? 0), 0)).toBeCloseTo(sumCosts(seeded, 'total'), 15);
    const notice = page.locator('#actual-unavailable');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.locator('strong').innerText()).toBe('Actual costs unavailable: no cost source configured.');
    expect(await page.locator('[data-fact="actual"]').innerText()).toBe('unavailable');
    expect(await page.locator('[data-fact="variance"]').innerText()).toBe('n/a');
    expect(await page.locator('[data-fact="source"]').innerText()).toBe('none');
  });

  it('lists the review queue oldest first', async () => {
    expect(await page.locator('#queue-size').innerText()).toBe('4');
    const stillPending = seeded
      .map((o, i) => ({ o, at: seeds[i]!.at }))
      .filter(({ o }) => o.finalStatus === 'PENDING_REVIEW')
      .sort((a, b) => a.at.localeCompare(b.at))
      .map(({ o }) => o.orderId);
    expect(stillPending).toHaveLength(4);
    expect(await page.locator('#queue-rows tr td:first-child').allInnerTexts()).toEqual(stillPending);
    expect(await page.locator('#queue-rows tr td:nth-child(3)').allInnerTexts()).toEqual(['$2,500.00', '$2,500.00', '$2,500.00', '$2,500.00']);
    expect(await page.locator('#queue-rows tr td:nth-child(2)').first().innerText()).toBe('Mar 2, 09:00');
  });

  it('shows the report: period, trends and one entry per recommendation', async () => {
    const report = (
      await analytics.http.get('/api/finops/report').query(RANGE).expect(200)
    ).body as { period: string; recommendations: { code: string }[] };
    expect(await page.locator('[data-trend="period"]').innerText()).toBe(report.period);
    // The previous six days have no orders: there is nothing to compare with.
    expect(await page.locator('[data-trend="orders"]').innerText()).toBe('no data for the previous period');
    const items = await page.locator('#recommendations li').all();
    const codes = await Promise.all(items.map((item) => item.getAttribute('data-code')));
    expect(codes).toEqual(report.recommendations.map((r) => r.code));
  });

  it('changes the range with the quick ranges, showing an empty range as zeros', async () => {
    const before = (await snapshot(page)).renders;
    const todayBefore = utcToday();
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await waitForRender(page, before);
    // The page's "today" is the UTC day at the click (a test running across midnight sees either).
    const today = await page.locator('#end-date').inputValue();
    expect([todayBefore, utcToday()]).toContain(today);
    expect(await page.locator('#start-date').inputValue()).toBe(addDays(today, -6));
    expect(new URL(page.url()).search).toBe(`?startDate=${addDays(today, -6)}&endDate=${today}`);
    expect(await page.getByRole('button', { name: 'Last 7 days' }).getAttribute('aria-pressed')).toBe('true');
    const chart = (await snapshot(page)).charts['chart-orders-by-status'];
    expect(chart?.labels).toHaveLength(7);
    expect(dataset(chart, 'Approved')).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(await kpi(page, 'totalOrders')).toBe('0');
    expect(await kpi(page, 'costPerOrder')).toBe('–');
  });

  it('shows the API 400 message for a bad range, then recovers', async () => {
    const expected = (await analytics.http.get('/api/finops/metrics').query({ startDate: '2026-03-06', endDate: '2026-03-01' }).expect(400))
      .body as { message: string | string[] };
    const message = Array.isArray(expected.message) ? expected.message.join('; ') : expected.message;
    expect(message.length).toBeGreaterThan(0);

    const errorsBefore = consoleErrors.length;
    await page.locator('#start-date').fill('2026-03-06');
    await page.locator('#end-date').fill('2026-03-01');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => (globalThis as unknown as { __dashboard: PageDashboard }).__dashboard.state === 'error');
    const alert = page.getByRole('alert');
    expect(await alert.innerText()).toBe(message);
    expect(await page.locator('#start-date').getAttribute('aria-invalid')).toBe('true');
    // The browser reports the refused requests themselves; nothing else went wrong.
    const newErrors = consoleErrors.splice(errorsBefore);
    expect(newErrors.length).toBeGreaterThan(0);
    for (const error of newErrors) expect(error).toMatch(/status of 400 \(Bad Request\)/);

    const before = (await snapshot(page)).renders;
    await page.locator('#start-date').fill(RANGE.startDate);
    await page.locator('#end-date').fill(RANGE.endDate);
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitForRender(page, before);
    expect(await alert.isVisible()).toBe(false);
    expect(await kpi(page, 'totalOrders')).toBe('15');
  });

  it('made no request outside its own origin and logged no console error', () => {
    const origin = new URL(analytics.url).origin;
    expect(requests.length).toBeGreaterThan(5);
    const elsewhere = requests.filter((url) => new URL(url).origin !== origin);
    expect(elsewhere).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
