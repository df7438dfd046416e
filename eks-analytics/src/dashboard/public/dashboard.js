/* global window, document, location, history, getComputedStyle, Chart */
// OrderOps FinOps dashboard. Reads the analytics JSON API of the same origin and draws with the
// Chart.js UMD build served by the service (/assets/vendor/...): no CDN, no other network request.
//
// For tests, `window.__dashboard` = { ready, state, charts: { [canvasId]: Chart }, lastError, renders, range }:
// `ready` turns true once the data of the current range is loaded and every chart is drawn.

// ---------------------------------------------------------------------------------------------
// 1. API mapping layer: every endpoint path and JSON field name the page reads is in this section.
// ---------------------------------------------------------------------------------------------

const API = {
  metrics: '/api/finops/metrics',
  costs: '/api/finops/costs',
  report: '/api/finops/report',
  forecast: '/api/finops/forecast',
  orders: '/api/orders',
};

/** The order of the API's per-service fields, estimated (metrics) and actual (costs). */
const SERVICES = [
  { key: 'bedrock', label: 'Bedrock (AI)', estimated: 'bedrockCost', actual: ['actualBedrockCost'], color: '#7c3aed' },
  { key: 'lambda', label: 'Lambda', estimated: 'lambdaCost', actual: ['actualLambdaCost'], color: '#ea580c' },
  { key: 'dynamodb', label: 'DynamoDB', estimated: 'dynamoDbCost', actual: ['actualDynamoDbCost'], color: '#2563eb' },
  { key: 's3', label: 'S3', estimated: 's3Cost', actual: ['actualS3Cost'], color: '#0f766e' },
  { key: 'sns', label: 'SNS', estimated: 'snsCost', actual: ['actualSnsCost'], color: '#db2777' },
  { key: 'apiGateway', label: 'API Gateway', estimated: 'apiGatewayCost', actual: ['actualApiGatewayCost'], color: '#0891b2' },
  { key: 'cloudwatch', label: 'CloudWatch', estimated: 'cloudwatchCost', actual: ['actualCloudWatchCost', 'actualCloudwatchCost'], color: '#64748b' },
];

const REVIEW_STATUS = 'PENDING_REVIEW';
const QUEUE_ROWS = 5;
const QUEUE_PAGE_SIZE = 100; // the API's maximum page size
const QUEUE_MAX_PAGES = 20;

function pick(obj, ...names) {
  if (obj === null || typeof obj !== 'object') return undefined;
  for (const name of names) if (obj[name] !== undefined) return obj[name];
  return undefined;
}
function num(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
function numOrNull(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
/** A percent change given as a number or as an object ({ percent | changePercent | change }). */
function percentOrNull(value) {
  if (value !== null && typeof value === 'object') return numOrNull(pick(value, 'percent', 'changePercent', 'change'));
  return numOrNull(value);
}
/** Orders per score 0..10, from an array of 11 counts or an object keyed "0".."10" / "score0".."score10". */
function scoreCounts(value) {
  const counts = [];
  for (let score = 0; score <= 10; score++) {
    const raw = Array.isArray(value) ? value[score] : pick(value, String(score), `score${score}`);
    counts.push(num(raw));
  }
  return counts;
}

function mapMetrics(json) {
  return {
    startDate: json.startDate,
    endDate: json.endDate,
    totalOrders: num(json.totalOrders),
    approved: num(json.approvedOrders),
    rejected: num(json.rejectedOrders),
    pending: num(json.pendingReviewOrders),
    validationErrors: num(json.validationErrors),
    reviewed: num(json.reviewedOrders),
    totalCost: num(json.totalProcessingCost),
    costPerOrder: numOrNull(json.costPerOrder),
    blockedFraud: num(json.blockedFraudAmount),
    aiCalls: num(json.aiCalls),
    tokens: num(json.totalBedrockTokens),
    services: Object.fromEntries(SERVICES.map((s) => [s.key, num(json[s.estimated])])),
    scores: scoreCounts(json.scoreDistribution),
    daily: (Array.isArray(json.daily) ? json.daily : []).map((d) => ({
      day: d.day,
      total: num(d.totalOrders),
      approved: num(d.approvedOrders),
      rejected: num(d.rejectedOrders),
      pending: num(d.pendingReviewOrders),
      validationErrors: num(d.validationErrors),
      cost: num(d.totalProcessingCost),
      costPerOrder: numOrNull(d.costPerOrder),
    })),
  };
}

function mapCosts(json) {
  const source = typeof json.source === 'string' ? json.source : 'unavailable';
  const total = numOrNull(json.actualTotalCost);
  return {
    source,
    available: source !== 'unavailable' && total !== null,
    reason: typeof json.reason === 'string' ? json.reason : null,
    services: Object.fromEntries(SERVICES.map((s) => [s.key, numOrNull(pick(json, ...s.actual))])),
    other: numOrNull(json.actualOtherCost),
    total,
  };
}

function mapReport(json) {
  return {
    period: typeof json.period === 'string' ? json.period : null,
    costTrend: percentOrNull(json.costTrend),
    orderTrend: percentOrNull(json.orderTrend),
    variance: numOrNull(json.estimatedVsActualVariance),
    forecastedMonthlyCost: numOrNull(json.forecastedMonthlyCost),
    recommendations: (Array.isArray(json.recommendations) ? json.recommendations : []).map((r) => ({
      code: String(pick(r, 'code') ?? ''),
      message: String(pick(r, 'message') ?? ''),
      figure: numOrNull(pick(r, 'figure')),
      threshold: numOrNull(pick(r, 'threshold')),
    })),
  };
}

function mapForecast(json) {
  return {
    cost: numOrNull(json.forecastedMonthlyCost),
    low: numOrNull(pick(json, 'lower80', 'lowerBound', 'lower')),
    high: numOrNull(pick(json, 'upper80', 'upperBound', 'upper')),
    method: typeof json.method === 'string' ? json.method : null,
    description: typeof json.description === 'string' ? json.description : null,
    reason: typeof json.reason === 'string' ? json.reason : null,
    historyDays: numOrNull(json.historyDays),
  };
}

function mapOrderPage(json) {
  return {
    orders: (Array.isArray(json.orders) ? json.orders : []).map((o) => {
      const cents = numOrNull(pick(o, 'totalAmountCents'));
      return {
        orderId: String(o.orderId),
        status: o.status,
        score: numOrNull(pick(o, 'aiScore', 'score')),
        amount: numOrNull(pick(o, 'totalAmount')) ?? (cents === null ? null : cents / 100),
        createdAt: typeof o.createdAt === 'string' ? o.createdAt : null,
        day: typeof o.day === 'string' ? o.day : null,
      };
    }),
    nextCursor: typeof json.nextCursor === 'string' && json.nextCursor !== '' ? json.nextCursor : null,
  };
}

/** The message of an error body: Nest's { message: string | string[] } or our own { error, message }. */
function errorMessage(body, status) {
  const message = pick(body, 'message', 'error');
  if (Array.isArray(message) && message.length > 0) return message.join('; ');
  if (typeof message === 'string' && message !== '') return message;
  return `The analytics API answered ${status}.`;
}

// ---------------------------------------------------------------------------------------------
// 2. Formatting
// ---------------------------------------------------------------------------------------------

const LOCALE = 'en-US';
const countFormat = new Intl.NumberFormat(LOCALE);
const usd2 = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usd4 = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
const usdSignificant = {
  2: new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 }),
  3: new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 }),
};
const dayFormat = new Intl.DateTimeFormat(LOCALE, { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });
const shortDayFormat = new Intl.DateTimeFormat(LOCALE, { timeZone: 'UTC', month: 'short', day: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(LOCALE, { timeZone: 'UTC', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/**
 * Dollars, readable at any size: processing costs are fractions of a cent per order, so small
 * amounts keep significant digits ($0.000016) instead of rounding to $0.00.
 * `significant` is 2 for unit costs and 3 for totals.
 */
function formatUsd(value, significant = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs === 0) return '$0.00';
  if (abs >= 1) return usd2.format(value);
  if (abs >= 0.01) return usd4.format(value);
  return usdSignificant[significant === 2 ? 2 : 3].format(value);
}
function formatCount(value) {
  return value === null || value === undefined ? '–' : countFormat.format(value);
}
function formatPercent(value, digits = 1) {
  if (value === null || !Number.isFinite(value)) return '–';
  return `${new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits }).format(value)}%`;
}
const figureFormats = {
  large: new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 }),
  medium: new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 }),
  small: new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 4 }),
};
/** A plain figure (ratios, percents, milliseconds): whole above 1,000, else at most 2 decimals or 4 significant digits. */
function formatFigure(value) {
  if (value === null) return '–';
  const abs = Math.abs(value);
  if (abs >= 1000) return figureFormats.large.format(value);
  if (abs >= 1) return figureFormats.medium.format(value);
  return figureFormats.small.format(value);
}
function share(part, total) {
  return total > 0 ? (part / total) * 100 : null;
}
function formatDay(day) {
  return dayFormat.format(new Date(`${day}T00:00:00Z`));
}
function formatShortDay(day) {
  return shortDayFormat.format(new Date(`${day}T00:00:00Z`));
}
function formatTime(iso) {
  if (iso === null) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeFormat.format(date);
}
/** "▲ +12.5%" style trend, as DOM nodes (the arrow is decoration; the sign says the direction). */
function trendNodes(percent, suffix) {
  if (percent === null) return [el('span', { class: 'trend-none' }, 'no data for the previous period')];
  const sign = percent > 0 ? '+' : percent < 0 ? '−' : '±';
  const arrow = percent > 0 ? '▲' : percent < 0 ? '▼' : '●';
  const value = `${sign}${formatPercent(Math.abs(percent))}`;
  return [el('span', { class: 'trend', 'aria-hidden': 'true' }, `${arrow} `), el('strong', {}, value), text(suffix)];
}

// ---------------------------------------------------------------------------------------------
// 3. Dates (UTC days, both ends inclusive, as the API counts them)
// ---------------------------------------------------------------------------------------------

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}
function addDays(day, days) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDay(date);
}
function daysBetween(start, end) {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1;
}
function quickRange(name, today = isoDay(new Date())) {
  if (name === '7d') return { startDate: addDays(today, -6), endDate: today };
  if (name === 'month') return { startDate: `${today.slice(0, 8)}01`, endDate: today };
  return { startDate: addDays(today, -29), endDate: today };
}

// ---------------------------------------------------------------------------------------------
// 4. DOM helpers
// ---------------------------------------------------------------------------------------------

const $ = (selector) => document.querySelector(selector);
function text(value) {
  return document.createTextNode(value);
}
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}
function setKpi(name, value, noteNodes = []) {
  const tile = document.querySelector(`[data-kpi="${name}"]`);
  tile.querySelector('[data-value]').textContent = value;
  tile.querySelector('[data-note]').replaceChildren(...noteNodes);
}

// ---------------------------------------------------------------------------------------------
// 5. Charts
// ---------------------------------------------------------------------------------------------

const COLORS = { approved: '#15803d', pending: '#d97706', rejected: '#b91c1c', estimated: '#2563eb', actual: '#0f766e', unavailable: '#cbd5e1', grid: '#e8ecf1', ink: '#4a5565' };

const state = {
  ready: false,
  state: 'loading',
  charts: {},
  lastError: null,
  renders: 0,
  range: null,
};
window.__dashboard = state;

function configureChartDefaults() {
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = COLORS.ink;
  Chart.defaults.borderColor = COLORS.grid;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.defaults.plugins.legend.labels.boxHeight = 12;
  Chart.defaults.plugins.tooltip.padding = 10;
}

/** Draws each bar's value at its end, so small bars are readable without hovering. */
const valueLabels = {
  id: 'valueLabels',
  afterDatasetsDraw(chart, _args, options) {
    if (!options || options.enabled !== true) return;
    const { ctx } = chart;
    ctx.save();
    ctx.font = `600 11px ${Chart.defaults.font.family}`;
    ctx.fillStyle = '#1b2430';
    chart.data.datasets.forEach((dataset, datasetIndex) => {
      const meta = chart.getDatasetMeta(datasetIndex);
      if (meta.hidden) return;
      meta.data.forEach((bar, index) => {
        const value = dataset.data[index];
        if (value === null || value === undefined || (options.skipZero && value === 0)) return;
        const label = options.format(value);
        if (chart.options.indexAxis === 'y') {
          ctx.textAlign = 'left';
          ctx.textBaseline = 'middle';
          ctx.fillText(label, bar.x + 6, bar.y);
        } else {
          ctx.textAlign = 'center';
          ctx.textBaseline = 'bottom';
          ctx.fillText(label, bar.x, bar.y - 3);
        }
      });
    });
    ctx.restore();
  },
};

function drawChart(id, config) {
  state.charts[id]?.destroy();
  const canvas = document.getElementById(id);
  const chart = new Chart(canvas, config);
  state.charts[id] = chart;
  return chart;
}

function dayTicks(labels) {
  return {
    autoSkip: true,
    maxRotation: 0,
    autoSkipPadding: 12,
    callback: (_value, index) => formatShortDay(labels[index]),
  };
}

function renderOrdersByStatus(metrics) {
  const labels = metrics.daily.map((d) => d.day);
  const series = [
    { label: 'Approved', key: 'approved', color: COLORS.approved },
    { label: 'Pending review', key: 'pending', color: COLORS.pending },
    { label: 'Rejected', key: 'rejected', color: COLORS.rejected },
  ];
  drawChart('chart-orders-by-status', {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s) => ({
        label: s.label,
        data: metrics.daily.map((d) => d[s.key]),
        backgroundColor: s.color,
        stack: 'status',
        borderRadius: 2,
        maxBarThickness: 42,
      })),
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: dayTicks(labels) },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Orders' } },
      },
      plugins: {
        legend: { position: 'top', align: 'end' },
        tooltip: {
          callbacks: {
            title: (items) => formatDay(labels[items[0].dataIndex]),
            footer: (items) => `Total: ${formatCount(items.reduce((sum, item) => sum + item.parsed.y, 0))}`,
          },
        },
      },
    },
  });
  const canvas = document.getElementById('chart-orders-by-status');
  canvas.setAttribute(
    'aria-label',
    `Orders by status per day: ${formatCount(metrics.approved)} approved, ${formatCount(metrics.pending)} pending review, ${formatCount(metrics.rejected)} rejected over ${labels.length} days`,
  );
}

function renderCostPerOrder(metrics) {
  const labels = metrics.daily.map((d) => d.day);
  drawChart('chart-cost-per-order', {
    type: 'line',
    data: {
      labels,
      datasets: [
        {
          label: 'Cost per order',
          data: metrics.daily.map((d) => d.costPerOrder),
          borderColor: COLORS.estimated,
          backgroundColor: 'rgba(37, 99, 235, 0.12)',
          fill: true,
          // A day without orders has no cost per order: a gap, not a line drawn through it.
          spanGaps: false,
          tension: 0.2,
          pointRadius: labels.length > 60 ? 0 : 3,
          pointHoverRadius: 5,
        },
        {
          label: 'Range average',
          data: labels.map(() => metrics.costPerOrder),
          borderColor: '#64748b',
          borderDash: [6, 4],
          borderWidth: 1.5,
          pointRadius: 0,
          fill: false,
        },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { grid: { display: false }, ticks: dayTicks(labels) },
        y: { beginAtZero: true, ticks: { callback: (value) => formatUsd(value, 2), maxTicksLimit: 6 } },
      },
      plugins: {
        legend: { position: 'top', align: 'end' },
        tooltip: {
          callbacks: {
            title: (items) => formatDay(labels[items[0].dataIndex]),
            label: (item) => `${item.dataset.label}: ${item.parsed.y === null ? 'no orders' : formatUsd(item.parsed.y, 2)}`,
          },
        },
      },
    },
  });
  document
    .getElementById('chart-cost-per-order')
    .setAttribute('aria-label', `Cost per order per day; range average ${formatUsd(metrics.costPerOrder, 2)}`);
}

function renderCostByService(metrics) {
  const rows = SERVICES.map((s) => ({ ...s, value: metrics.services[s.key] })).sort((a, b) => b.value - a.value);
  drawChart('chart-cost-by-service', {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        {
          label: 'Estimated cost',
          data: rows.map((r) => r.value),
          backgroundColor: rows.map((r) => r.color),
          borderRadius: 3,
          maxBarThickness: 22,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      layout: { padding: { right: 78 } },
      scales: {
        x: { beginAtZero: true, ticks: { callback: (value) => formatUsd(value, 2), maxTicksLimit: 5 } },
        y: { grid: { display: false } },
      },
      plugins: {
        legend: { display: false },
        valueLabels: { enabled: true, format: (value) => formatUsd(value, 2) },
        tooltip: {
          callbacks: {
            label: (item) => `${formatUsd(item.parsed.x)} (${formatPercent(share(item.parsed.x, metrics.totalCost))} of the total)`,
          },
        },
      },
    },
    plugins: [valueLabels],
  });
  const top = rows[0];
  document
    .getElementById('chart-cost-by-service')
    .setAttribute(
      'aria-label',
      `Estimated cost by service; largest ${top.label} at ${formatUsd(top.value)} of ${formatUsd(metrics.totalCost)} in total`,
    );
}

function scoreColor(score) {
  if (score < 4) return COLORS.rejected;
  if (score < 7) return COLORS.pending;
  return COLORS.approved;
}

function renderScoreDistribution(metrics) {
  const labels = metrics.scores.map((_count, score) => String(score));
  drawChart('chart-score-distribution', {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: 'Orders',
          data: metrics.scores,
          backgroundColor: labels.map((_label, score) => scoreColor(score)),
          borderRadius: 3,
          maxBarThickness: 40,
        },
      ],
    },
    options: {
      layout: { padding: { top: 18 } },
      scales: {
        x: { grid: { display: false }, title: { display: true, text: 'Risk score (higher is safer)' } },
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Orders' } },
      },
      plugins: {
        legend: { display: false },
        valueLabels: { enabled: true, skipZero: true, format: (value) => formatCount(value) },
        tooltip: { callbacks: { title: (items) => `Score ${items[0].label}`, label: (item) => `${formatCount(item.parsed.y)} orders` } },
      },
    },
    plugins: [valueLabels],
  });
  const total = metrics.scores.reduce((sum, count) => sum + count, 0);
  document
    .getElementById('chart-score-distribution')
    .setAttribute('aria-label', `Risk score distribution of ${formatCount(total)} orders, scores 0 to 10`);
}

const SOURCE_LABELS = { 'focus-file': 'FOCUS file', 'cost-explorer': 'Cost Explorer', unavailable: 'none' };

function renderEstimatedVsActual(metrics, costs, report, costsError) {
  const available = costs !== null && costs.available;
  const notice = $('#actual-unavailable');
  notice.hidden = available;
  if (!available) {
    notice.querySelector('strong').textContent =
      costsError === null ? 'Actual costs unavailable: no cost source configured.' : 'Actual costs could not be loaded.';
    notice.querySelector('[data-reason]').textContent =
      costsError ?? costs?.reason ?? 'Set COST_EXPORT_FILE to a FOCUS or CUR export to compare with billed costs.';
  }
  drawChart('chart-estimated-vs-actual', {
    type: 'bar',
    data: {
      labels: SERVICES.map((s) => s.label),
      datasets: [
        { label: 'Estimated', data: SERVICES.map((s) => metrics.services[s.key]), backgroundColor: COLORS.estimated, borderRadius: 3, maxBarThickness: 14 },
        {
          label: available ? 'Actual (billed)' : 'Actual (unavailable)',
          // Never a made-up number: without a cost source every actual value is null (no bar).
          data: SERVICES.map((s) => (available ? costs.services[s.key] : null)),
          backgroundColor: available ? COLORS.actual : COLORS.unavailable,
          borderRadius: 3,
          maxBarThickness: 14,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      interaction: { mode: 'index', intersect: false, axis: 'y' },
      scales: {
        x: { beginAtZero: true, ticks: { callback: (value) => formatUsd(value, 2), maxTicksLimit: 5 } },
        y: { grid: { display: false }, ticks: { autoSkip: false } },
      },
      plugins: {
        legend: { position: 'top', align: 'end' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${item.parsed.x === null ? 'unavailable' : formatUsd(item.parsed.x)}` } },
      },
    },
  });
  document
    .getElementById('chart-estimated-vs-actual')
    .setAttribute(
      'aria-label',
      available
        ? `Estimated ${formatUsd(metrics.totalCost)} versus actual ${formatUsd(costs.total)} by service`
        : `Estimated cost by service ${formatUsd(metrics.totalCost)}; actual costs unavailable`,
    );
  const facts = $('#actual-facts');
  facts.querySelector('[data-fact="estimated"]').textContent = formatUsd(metrics.totalCost);
  facts.querySelector('[data-fact="actual"]').textContent = available ? formatUsd(costs.total) : 'unavailable';
  facts.querySelector('[data-fact="variance"]').textContent =
    report !== null && report.variance !== null ? `${report.variance > 0 ? '+' : ''}${formatPercent(report.variance)}` : 'n/a';
  facts.querySelector('[data-fact="source"]').textContent = costs === null ? 'error' : SOURCE_LABELS[costs.source] ?? costs.source;
}

// ---------------------------------------------------------------------------------------------
// 6. Panels
// ---------------------------------------------------------------------------------------------

function renderKpis(metrics, report, forecast) {
  const total = metrics.totalOrders;
  const ofOrders = (count) => (total > 0 ? [text(`${formatPercent(share(count, total))} of orders`)] : [text('no orders')]);
  const totalNote = report === null ? [] : trendNodes(report.orderTrend, ' vs previous period');
  if (metrics.validationErrors > 0) totalNote.push(text(` · ${formatCount(metrics.validationErrors)} invalid requests`));
  setKpi('totalOrders', formatCount(total), totalNote);
  setKpi('approvedOrders', formatCount(metrics.approved), ofOrders(metrics.approved));
  setKpi('rejectedOrders', formatCount(metrics.rejected), ofOrders(metrics.rejected));
  setKpi('pendingReviewOrders', formatCount(metrics.pending), total > 0 ? [text(`${formatPercent(share(metrics.pending, total))} awaiting a reviewer`)] : [text('no orders')]);
  setKpi('totalProcessingCost', formatUsd(metrics.totalCost), report === null ? [] : trendNodes(report.costTrend, ' vs previous period'));
  const aiShare = share(metrics.services.bedrock, metrics.totalCost);
  setKpi('costPerOrder', metrics.costPerOrder === null ? '–' : formatUsd(metrics.costPerOrder, 2), [
    text(
      metrics.costPerOrder === null
        ? 'no orders in this range'
        : metrics.aiCalls === 0
          ? 'per screened order · no AI calls'
          : `per screened order · AI ${formatPercent(aiShare)} of cost`,
    ),
  ]);
  setKpi('blockedFraudAmount', formatUsd(metrics.blockedFraud), [text(`value of ${formatCount(metrics.rejected)} rejected orders`)]);
  if (forecast === null) {
    setKpi('forecastedMonthlyCost', '–', [text('forecast could not be loaded')]);
  } else if (forecast.cost === null) {
    setKpi('forecastedMonthlyCost', '–', [text(forecast.reason ?? 'not enough history')]);
  } else {
    const interval = forecast.low !== null && forecast.high !== null ? `80%: ${formatUsd(forecast.low)} – ${formatUsd(forecast.high)}` : forecast.method ?? '';
    setKpi('forecastedMonthlyCost', formatUsd(forecast.cost), [text(interval)]);
  }
}

function renderQueue(metrics, queue, queueError) {
  $('#queue-size').textContent = formatCount(metrics.pending);
  $('#queue-size-label').textContent = metrics.pending === 1 ? 'order pending review' : 'orders pending review';
  const rows = $('#queue-rows');
  const more = $('#queue-more');
  if (queue === null) {
    rows.replaceChildren();
    $('#queue-empty').hidden = false;
    $('#queue-empty').textContent = `The review queue could not be loaded: ${queueError}`;
    more.hidden = true;
    return;
  }
  rows.replaceChildren(
    ...queue.oldest.map((o) =>
      el(
        'tr',
        {},
        el('td', {}, el('code', {}, o.orderId)),
        el('td', {}, formatTime(o.createdAt)),
        el('td', { class: 'num' }, o.amount === null ? '–' : formatUsd(o.amount)),
        el('td', { class: 'num' }, o.score === null ? '–' : formatFigure(o.score)),
      ),
    ),
  );
  $('#queue-empty').hidden = queue.oldest.length > 0;
  $('#queue-empty').textContent = 'Nothing waiting for review in this range.';
  const hidden = metrics.pending - queue.oldest.length;
  more.hidden = hidden <= 0;
  more.textContent = queue.complete
    ? `and ${formatCount(hidden)} more, newer`
    : `The ${formatCount(queue.seen)} newest pending orders were scanned; older ones exist.`;
}

function renderReport(report, forecast, reportError) {
  const trends = $('#trends');
  const recommendations = $('#recommendations');
  const empty = $('#recommendations-empty');
  if (report === null) {
    for (const dd of trends.querySelectorAll('dd')) dd.textContent = '–';
    recommendations.replaceChildren();
    empty.hidden = false;
    empty.textContent = `The report could not be loaded: ${reportError}`;
    return;
  }
  trends.querySelector('[data-trend="orders"]').replaceChildren(...trendNodes(report.orderTrend, ''));
  trends.querySelector('[data-trend="cost"]').replaceChildren(...trendNodes(report.costTrend, ''));
  trends.querySelector('[data-trend="period"]').textContent = report.period ?? '–';
  const forecastFact = trends.querySelector('[data-trend="forecast"]');
  forecastFact.textContent =
    forecast === null ? '–' : forecast.cost === null ? 'none yet' : `${formatUsd(forecast.cost)} / 30 days${forecast.method ? ` (${forecast.method})` : ''}`;
  forecastFact.title = forecast?.description ?? forecast?.reason ?? '';
  recommendations.replaceChildren(
    ...report.recommendations.map((r) =>
      el(
        'li',
        { 'data-code': r.code },
        el('div', { class: 'rec-code' }, r.code),
        el('div', { class: 'rec-message' }, r.message),
        el('div', { class: 'rec-figure' }, `Figure ${formatFigure(r.figure)} · threshold ${formatFigure(r.threshold)}`),
      ),
    ),
  );
  empty.hidden = report.recommendations.length > 0;
  empty.textContent = 'No recommendations: every figure is within its threshold.';
}

// ---------------------------------------------------------------------------------------------
// 7. Loading
// ---------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function getJson(path, params) {
  const query = new URLSearchParams(params).toString();
  let response;
  try {
    response = await fetch(query === '' ? path : `${path}?${query}`, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new ApiError(0, `Could not reach the analytics API (${error.message}).`);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, errorMessage(body, response.status));
  if (body === null || typeof body !== 'object') throw new ApiError(response.status, `${path} did not answer JSON.`);
  return body;
}

/** The oldest pending orders: the API pages newest first, so follow the cursor to the end (bounded). */
async function loadOldestPending(range) {
  let oldest = [];
  let cursor = null;
  let seen = 0;
  for (let page = 0; page < QUEUE_MAX_PAGES; page++) {
    const params = { status: REVIEW_STATUS, startDate: range.startDate, endDate: range.endDate, limit: String(QUEUE_PAGE_SIZE) };
    if (cursor !== null) params.cursor = cursor;
    const result = mapOrderPage(await getJson(API.orders, params));
    seen += result.orders.length;
    oldest = [...oldest, ...result.orders].slice(-QUEUE_ROWS);
    cursor = result.nextCursor;
    if (cursor === null) return { oldest: oldest.reverse(), complete: true, seen };
  }
  return { oldest: oldest.reverse(), complete: false, seen };
}

/** Settles a promise into [value, null] or [null, message], so one failing panel does not blank the page. */
async function settle(promise) {
  try {
    return [await promise, null];
  } catch (error) {
    return [null, error instanceof Error ? error.message : String(error)];
  }
}

function setBusy(busy, message) {
  $('#main').setAttribute('aria-busy', String(busy));
  $('#status').textContent = message;
}

function showRangeError(message) {
  const alert = $('#range-error');
  alert.hidden = message === null;
  alert.textContent = message ?? '';
  for (const input of [$('#start-date'), $('#end-date')]) {
    if (message === null) input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
  }
}

function markQuickRange(range) {
  for (const button of document.querySelectorAll('[data-range]')) {
    const candidate = quickRange(button.dataset.range);
    const active = candidate.startDate === range.startDate && candidate.endDate === range.endDate;
    button.setAttribute('aria-pressed', String(active));
  }
}

let loadSequence = 0;

async function load(range) {
  const sequence = ++loadSequence;
  state.ready = false;
  state.state = 'loading';
  state.range = range;
  $('#start-date').value = range.startDate;
  $('#end-date').value = range.endDate;
  markQuickRange(range);
  setBusy(true, 'Loading…');
  const params = { startDate: range.startDate, endDate: range.endDate };
  const [metricsResult, costsResult, reportResult, forecastResult, queueResult] = await Promise.all([
    settle(getJson(API.metrics, params)),
    settle(getJson(API.costs, params)),
    settle(getJson(API.report, params)),
    settle(getJson(API.forecast, {})),
    settle(loadOldestPending(range)),
  ]);
  if (sequence !== loadSequence) return; // a newer range was asked for meanwhile
  const [metricsJson, metricsError] = metricsResult;
  if (metricsJson === null) {
    state.state = 'error';
    state.lastError = metricsError;
    showRangeError(metricsError);
    $('#range-label').textContent = 'No data for this range';
    setBusy(false, '');
    return;
  }
  showRangeError(null);
  const metrics = mapMetrics(metricsJson);
  const costs = costsResult[0] === null ? null : mapCosts(costsResult[0]);
  const report = reportResult[0] === null ? null : mapReport(reportResult[0]);
  const forecast = forecastResult[0] === null ? null : mapForecast(forecastResult[0]);
  const queue = queueResult[0];
  const shown = { startDate: metrics.startDate ?? range.startDate, endDate: metrics.endDate ?? range.endDate };
  const days = daysBetween(shown.startDate, shown.endDate);
  $('#range-label').textContent =
    `${formatDay(shown.startDate)} – ${formatDay(shown.endDate)} · ${days} ${days === 1 ? 'day' : 'days'} (UTC)`;
  $('#report-period').textContent =
    report?.period ? `${report.period} report, versus the previous ${days} ${days === 1 ? 'day' : 'days'}.` : 'Versus the previous period of equal length.';

  try {
    renderKpis(metrics, report, forecast);
    renderOrdersByStatus(metrics);
    renderCostPerOrder(metrics);
    renderCostByService(metrics);
    renderScoreDistribution(metrics);
    renderEstimatedVsActual(metrics, costs, report, costsResult[1]);
    renderQueue(metrics, queue, queueResult[1]);
    renderReport(report, forecast, reportResult[1]);
  } catch (error) {
    state.state = 'error';
    state.lastError = `The dashboard could not draw this range: ${error instanceof Error ? error.message : String(error)}`;
    showRangeError(state.lastError);
    setBusy(false, '');
    throw error;
  }

  const partial = [costsResult[1], reportResult[1], forecastResult[1], queueResult[1]].filter((e) => e !== null);
  state.lastError = partial.length > 0 ? partial.join(' | ') : null;
  state.state = 'ready';
  state.renders += 1;
  state.ready = true;
  setBusy(false, partial.length > 0 ? 'Some panels could not be loaded.' : `Updated ${timeFormat.format(new Date())} UTC`);
}

function rangeFromLocation() {
  const query = new URLSearchParams(location.search);
  const startDate = query.get('startDate');
  const endDate = query.get('endDate');
  if (startDate !== null && endDate !== null) return { startDate, endDate };
  return quickRange('30d');
}

function navigate(range) {
  const query = new URLSearchParams({ startDate: range.startDate, endDate: range.endDate });
  history.replaceState(null, '', `${location.pathname}?${query}`);
  return load(range);
}

function start() {
  configureChartDefaults();
  $('#range-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void navigate({ startDate: $('#start-date').value, endDate: $('#end-date').value });
  });
  for (const button of document.querySelectorAll('[data-range]')) {
    button.addEventListener('click', () => void navigate(quickRange(button.dataset.range)));
  }
  void load(rangeFromLocation());
}

try {
  start();
} catch (error) {
  state.state = 'error';
  state.lastError = error instanceof Error ? error.message : String(error);
  $('#range-error').hidden = false;
  $('#range-error').textContent = `The dashboard could not start: ${state.lastError}`;
  throw error;
}
