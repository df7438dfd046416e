/**
 * Screening alone, in-process, no I/O (issue 6): orders scored per second by our fraud engine
 * (the domain's validation, signals and scoring, from lambda-order-processor/dist) versus the same
 * seven original rules of the Java system written for json-rules-engine, the popular-library
 * baseline, over the same realistic generated orders in the same run, rounds alternating so a noisy
 * machine slows both.
 *
 * The seven original rules are the original prompt's seven factors (SPEC section 3): email, order
 * value, quantity, address, product, customer history, timing. Ours also runs the velocity and
 * billing/shipping rules (what a real engine needs); they are left out of the comparison, and with
 * the fixed snapshot below (no velocity, no billing address in the generator) they never fire.
 * Every order gets one fixed customer-history snapshot derived from its customer id (new customers
 * have no profile; returning ones are established, known, rejected before or never approved), the
 * same facts for both engines. Both engines must agree, order by order, on which of the seven rules'
 * signals fire, with which points, and on the decision: the mismatch counts are printed.
 *
 *   npm run bench:screening
 *   BENCH_SCREENING_ORDERS=5000 BENCH_SCREENING_ROUNDS=3 node bench/screening.mjs   # after npm run build
 */
import { performance } from 'node:perf_hooks';
import { customerStanding, scaleForStanding } from '@orderops/lambda-order-processor/domain/signals/customer-history';
import { isFreeMailDomain, randomnessOf, suspiciousWordIn, SUPPLEMENTARY_DISPOSABLE_DOMAINS } from '@orderops/lambda-order-processor/domain/signals/email';
import { isPlaceholder, resolveCountryCode } from '@orderops/lambda-order-processor/domain/signals/address';
import { GIFT_CARD_PATTERN, RESELLABLE_ELECTRONICS_PATTERN } from '@orderops/lambda-order-processor/domain/signals/product';
import { roundPoints } from '@orderops/lambda-order-processor/domain/signals/reason';
import { decide } from '@orderops/lambda-order-processor/domain/scoring/decision';
import { scoreSignals } from '@orderops/lambda-order-processor/domain/scoring/score';
import { DEFAULT_SCREENING_SETTINGS } from '@orderops/lambda-order-processor/domain/scoring/defaults';
import { screenWithRules } from '@orderops/lambda-order-processor/domain/scoring/screen';
import { validateOrderBody } from '@orderops/lambda-order-processor/domain/validation/validate';
import { Engine } from 'json-rules-engine';
import MailChecker from 'mailchecker';
import { validate as validatePostalCode } from 'postal-codes-js';
import { measuredLine, writeSection as writeDocSection } from './lib/report.mjs';
import { orderStream } from './order-generator.mjs';

const ORDERS = Number(process.env.BENCH_SCREENING_ORDERS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_SCREENING_ROUNDS ?? 5);
const RETURNING_CUSTOMERS = 50_000;
const DAY_MS = 86_400_000;
/** Signal code prefixes of the seven original rules (SPEC section 3); ours adds VELOCITY_* and COUNTRY_MISMATCH. */
const ORIGINAL_RULE_PREFIXES = ['EMAIL_', 'ORDER_VALUE_', 'QUANTITY_', 'ADDRESS_', 'PRODUCT_', 'CUSTOMER_', 'TIMING_'];
const isOriginalRule = (code) => ORIGINAL_RULE_PREFIXES.some((prefix) => code.startsWith(prefix));

// ---- the same facts for both engines ---------------------------------------------------------

const receivedAt = new Date();
const NO_VELOCITY = { customerRecentOrders: 0, cardOtherCustomers: 0, cardOtherEmails: 0, addressOtherCustomers: 0 };

/** The fixed customer-history snapshot of a customer: null for new customers (the generator numbers them above the pool). */
function profileFor(customerId) {
  const index = Number(customerId.slice('CUST-'.length));
  if (index > RETURNING_CUSTOMERS) return null;
  const kind = index % 10;
  const approvedCount = kind === 0 || kind === 1 ? 1 : kind === 2 ? 0 : 3 + (index % 20);
  const rejectedCount = kind === 0 ? 1 : 0;
  const ageDays = kind === 1 ? 10 : 30 + (index % 400);
  return {
    customerId,
    firstSeenAt: new Date(receivedAt.getTime() - ageDays * DAY_MS).toISOString(),
    lastOrderAt: new Date(receivedAt.getTime() - DAY_MS).toISOString(),
    orderCount: approvedCount + rejectedCount + (kind === 2 ? 1 : 0),
    approvedCount,
    rejectedCount,
    pendingCount: kind === 2 ? 1 : 0,
    approvedAmountCents: approvedCount * 5_000,
  };
}

// ---- our engine ------------------------------------------------------------------------------

function screenOurs(body, profile) {
  const validation = validateOrderBody(body, receivedAt);
  if (!validation.ok) throw new Error(`generated order ${body.orderId} is invalid: ${JSON.stringify(validation.errors)}`);
  return screenWithRules({ order: validation.value, profile, velocity: NO_VELOCITY, receivedAt, settings: DEFAULT_SCREENING_SETTINGS });
}

// ---- the baseline: the seven original rules on json-rules-engine -------------------------------

const DISPOSABLE = MailChecker.blacklist();
const UNSUPPORTED_POSTAL_COUNTRY = 'Unknown alpha2/alpha3';
const REQUIRED_ADDRESS_FIELDS = ['street', 'city', 'zipCode', 'country'];
const ADDRESS_FIELDS = ['street', 'city', 'state', 'zipCode', 'country'];

function isDisposable(domain) {
  for (let candidate = domain; ; candidate = candidate.slice(candidate.indexOf('.') + 1)) {
    if (DISPOSABLE.has(candidate) || SUPPLEMENTARY_DISPOSABLE_DOMAINS.has(candidate)) return true;
    if (!candidate.includes('.')) return false;
  }
}

const fieldPoints = (count, first, max) => (count === 0 ? 0 : Math.max(max, first - 0.5 * (count - 1)));
const unitsMatching = (order, test) => order.items.reduce((units, item) => units + (test(item) ? item.quantity : 0), 0);
const matches = (pattern, item) => pattern.test(item.name) || (item.category !== undefined && pattern.test(item.category));
const isGiftCard = (item) => matches(GIFT_CARD_PATTERN, item);

/** Derived facts, computed once per run from the runtime facts `order` and `profile`. */
const DERIVED_FACTS = {
  standing: async (almanac) => customerStanding(await almanac.factValue('profile'), receivedAt),
  hasProfile: async (almanac) => (await almanac.factValue('profile')) !== null,
  approvedCount: async (almanac) => (await almanac.factValue('profile'))?.approvedCount ?? 0,
  rejectedCount: async (almanac) => (await almanac.factValue('profile'))?.rejectedCount ?? 0,
  rejectionPoints: async (almanac) => Math.max(-3, -1.5 - 0.5 * ((await almanac.factValue('rejectedCount')) - 1)),
  establishedPoints: async (almanac) => {
    // Event parameters are resolved for failing rules too, so this must answer without a profile.
    const profile = await almanac.factValue('profile');
    const ageDays = profile === null ? 0 : (receivedAt.getTime() - Date.parse(profile.firstSeenAt)) / DAY_MS;
    return profile !== null && profile.approvedCount >= 10 && Math.floor(ageDays) >= 180 ? 1.5 : 1;
  },
  claimsHistory: async (almanac) => {
    const order = await almanac.factValue('order');
    return order.customerType !== 'REGULAR' || (order.orderHistory ?? 0) > 0;
  },
  totalAmount: async (almanac) => (await almanac.factValue('order')).totalAmount,
  bulkLineUnits: async (almanac) =>
    Math.max(0, ...(await almanac.factValue('order')).items.filter((item) => item.quantity * item.price >= 100).map((item) => item.quantity)),
  totalUnits: async (almanac) => unitsMatching(await almanac.factValue('order'), () => true),
  giftCardUnits: async (almanac) => unitsMatching(await almanac.factValue('order'), isGiftCard),
  electronicsUnits: async (almanac) =>
    unitsMatching(await almanac.factValue('order'), (item) => !isGiftCard(item) && item.price >= 100 && matches(RESELLABLE_ELECTRONICS_PATTERN, item)),
  email: async (almanac) => (await almanac.factValue('order')).customerEmail.trim().toLowerCase(),
  emailDomain: async (almanac) => {
    const email = await almanac.factValue('email');
    return email.slice(email.lastIndexOf('@') + 1);
  },
  emailLocalPart: async (almanac) => {
    const email = await almanac.factValue('email');
    const at = email.lastIndexOf('@');
    const plus = email.indexOf('+');
    return email.slice(0, plus !== -1 && plus < at ? plus : at);
  },
  emailTld: async (almanac) => (await almanac.factValue('emailDomain')).split('.').at(-1),
  emailRegistrableDomain: async (almanac) => (await almanac.factValue('emailDomain')).split('.').slice(-2).join('.'),
  emailDisposable: async (almanac) => isDisposable(await almanac.factValue('emailDomain')),
  emailFreeMail: async (almanac) => isFreeMailDomain(await almanac.factValue('emailDomain')),
  emailRandom: async (almanac) => randomnessOf(await almanac.factValue('emailLocalPart')) !== null,
  emailSuspicious: async (almanac) => suspiciousWordIn(await almanac.factValue('emailLocalPart')) !== null,
  missingAddressFields: async (almanac) => {
    const address = (await almanac.factValue('order')).shippingAddress;
    return REQUIRED_ADDRESS_FIELDS.filter((field) => address[field].trim() === '');
  },
  placeholderAddressFields: async (almanac) => {
    const address = (await almanac.factValue('order')).shippingAddress;
    return ADDRESS_FIELDS.filter((field) => isPlaceholder(field, address[field]));
  },
  incompletePoints: async (almanac) => fieldPoints((await almanac.factValue('missingAddressFields')).length, -1, -2),
  placeholderPoints: async (almanac) => fieldPoints((await almanac.factValue('placeholderAddressFields')).length, -1.5, -3),
  countryCode: async (almanac) => resolveCountryCode((await almanac.factValue('order')).shippingAddress.country),
  postalCodeValid: async (almanac) => {
    const verdict = validatePostalCode(await almanac.factValue('countryCode'), (await almanac.factValue('order')).shippingAddress.zipCode);
    return verdict === true || (typeof verdict === 'string' && verdict.startsWith(UNSUPPORTED_POSTAL_COUNTRY));
  },
  localHour: async (almanac) => {
    const match = /^\d{4}-\d{2}-\d{2}T(\d{2}):/.exec((await almanac.factValue('order')).placedAt ?? '');
    return match === null ? null : Number(match[1]);
  },
};

const fact = (name, operator, value) => ({ fact: name, operator, value });
/** A rule firing `code` with `points` (scaled by the customer's standing when `scaled`) when every condition holds. */
const rule = (code, points, conditions, scaled = false) => ({ conditions: { all: conditions }, event: { type: code, params: { points, scaled } } });
const between = (name, from, below) => [fact(name, 'greaterThanInclusive', from), ...(below === undefined ? [] : [fact(name, 'lessThan', below)])];
const addressUsable = (field) => [fact('missingAddressFields', 'doesNotContain', field), fact('placeholderAddressFields', 'doesNotContain', field)];

/** The seven original rules, with the thresholds and points of ours (lambda-order-processor/src/domain/signals). */
const RULES = [
  // customer history
  rule('CUSTOMER_NEW', -0.8, [fact('hasProfile', 'equal', false), fact('claimsHistory', 'equal', true)]),
  rule('CUSTOMER_NEW', -1, [fact('hasProfile', 'equal', false), fact('claimsHistory', 'equal', false)]),
  rule('CUSTOMER_NO_APPROVED_ORDERS', -1, [fact('hasProfile', 'equal', true), fact('approvedCount', 'equal', 0)]),
  rule('CUSTOMER_PRIOR_REJECTIONS', { fact: 'rejectionPoints' }, [fact('rejectedCount', 'greaterThan', 0)]),
  rule('CUSTOMER_ESTABLISHED', { fact: 'establishedPoints' }, [fact('standing', 'equal', 'established')]),
  // order value
  rule('ORDER_VALUE_SMALL', 0.3, [fact('totalAmount', 'lessThan', 50)]),
  rule('ORDER_VALUE_LARGE', -2, between('totalAmount', 5000), true),
  rule('ORDER_VALUE_LARGE', -1.5, between('totalAmount', 3000, 5000), true),
  rule('ORDER_VALUE_LARGE', -0.7, between('totalAmount', 1000, 3000), true),
  rule('ORDER_VALUE_LARGE', -0.4, between('totalAmount', 500, 1000), true),
  // quantity
  rule('QUANTITY_BULK_SINGLE_PRODUCT', -2, between('bulkLineUnits', 20), true),
  rule('QUANTITY_BULK_SINGLE_PRODUCT', -1.5, between('bulkLineUnits', 10, 20), true),
  rule('QUANTITY_BULK_SINGLE_PRODUCT', -1.2, between('bulkLineUnits', 5, 10), true),
  rule('QUANTITY_LARGE_TOTAL', -0.5, [fact('bulkLineUnits', 'lessThan', 5), fact('totalUnits', 'greaterThanInclusive', 50)], true),
  // product
  rule('PRODUCT_GIFT_CARD', -1, between('giftCardUnits', 1, 5), true),
  rule('PRODUCT_GIFT_CARD_BULK_NEW_CUSTOMER', -3, [...between('giftCardUnits', 5), fact('standing', 'equal', 'uncorroborated')]),
  rule('PRODUCT_GIFT_CARD_BULK', -2.5, [...between('giftCardUnits', 5), fact('standing', 'notEqual', 'uncorroborated')], true),
  rule('PRODUCT_ELECTRONICS', -0.5, between('electronicsUnits', 1, 5), true),
  rule('PRODUCT_ELECTRONICS_BULK', -1.5, between('electronicsUnits', 5), true),
  // email
  rule('EMAIL_DISPOSABLE_DOMAIN', -2.5, [fact('emailDisposable', 'equal', true)]),
  rule('EMAIL_RESERVED_DOMAIN', -2, [fact('emailDisposable', 'equal', false), { condition: 'reservedEmailDomain' }]),
  rule('EMAIL_CORPORATE_DOMAIN', 0.3, [fact('emailDisposable', 'equal', false), fact('emailFreeMail', 'equal', false), { not: { condition: 'reservedEmailDomain' } }]),
  rule('EMAIL_RANDOM_LOCAL_PART', -0.7, [fact('emailRandom', 'equal', true)]),
  rule('EMAIL_SUSPICIOUS_WORD', -0.5, [fact('emailSuspicious', 'equal', true)]),
  // address
  rule('ADDRESS_INCOMPLETE', { fact: 'incompletePoints' }, [fact('incompletePoints', 'lessThan', 0)]),
  rule('ADDRESS_PLACEHOLDER', { fact: 'placeholderPoints' }, [fact('placeholderPoints', 'lessThan', 0)]),
  rule('ADDRESS_UNKNOWN_COUNTRY', -1, [...addressUsable('country'), fact('countryCode', 'equal', null)]),
  rule('ADDRESS_POSTAL_CODE_INVALID', -1, [...addressUsable('country'), ...addressUsable('zipCode'), fact('countryCode', 'notEqual', null), fact('postalCodeValid', 'equal', false)]),
  // timing
  rule('TIMING_NIGHT', -0.5, [fact('localHour', 'lessThan', 6)]),
];

function createBaselineEngine() {
  const engine = new Engine([], { replaceFactsInEventParams: true });
  for (const [name, compute] of Object.entries(DERIVED_FACTS)) engine.addFact(name, (_params, almanac) => compute(almanac));
  // RFC 2606 / RFC 6761 names, as a named condition the reserved and corporate rules share.
  engine.setCondition('reservedEmailDomain', {
    any: [fact('emailTld', 'in', ['test', 'example', 'invalid', 'localhost']), fact('emailRegistrableDomain', 'in', ['example.com', 'example.net', 'example.org'])],
  });
  for (const definition of RULES) engine.addRule(definition);
  return engine;
}

async function screenBaseline(engine, order, profile) {
  const { events, almanac } = await engine.run({ order, profile });
  const standing = await almanac.factValue('standing');
  const signals = events.map(({ type, params }) => ({ code: type, points: roundPoints(params.scaled ? scaleForStanding(params.points, standing) : params.points) }));
  const score = scoreSignals(signals);
  return { score, signals, status: decide(score, signals, DEFAULT_SCREENING_SETTINGS.thresholds).status };
}

// ---- the run ---------------------------------------------------------------------------------

const key = (signals) => signals.map((signal) => `${signal.code}:${signal.points}`).sort().join(' ');

/** Order by order: do the seven rules fire the same signals, with the same points, to the same decision? */
async function compare(engine, orders, profiles) {
  const mismatches = { firing: 0, points: 0, decision: 0, examples: [] };
  const fired = new Map();
  for (let i = 0; i < orders.length; i += 1) {
    const ours = screenOurs(orders[i], profiles[i]);
    const oursOriginal = ours.signals.filter((signal) => isOriginalRule(signal.code));
    const theirs = await screenBaseline(engine, orders[i], profiles[i]);
    for (const signal of oursOriginal) fired.set(signal.code, (fired.get(signal.code) ?? 0) + 1);
    const codes = (signals) => signals.map((signal) => signal.code).sort().join(' ');
    const ourScore = scoreSignals(oursOriginal);
    const ourStatus = decide(ourScore, oursOriginal, DEFAULT_SCREENING_SETTINGS.thresholds).status;
    if (codes(oursOriginal) !== codes(theirs.signals)) mismatches.firing += 1;
    else if (key(oursOriginal) !== key(theirs.signals)) mismatches.points += 1;
    if (ourStatus !== theirs.status) mismatches.decision += 1;
    if (key(oursOriginal) !== key(theirs.signals) && mismatches.examples.length < 3) {
      mismatches.examples.push({ orderId: orders[i].orderId, ours: key(oursOriginal), jsonRulesEngine: key(theirs.signals) });
    }
  }
  return { mismatches, fired };
}

async function timeRound(count, screen) {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await screen(i);
  const seconds = (performance.now() - started) / 1000;
  return { ordersPerSecond: count / seconds, microsPerOrder: (seconds * 1e6) / count };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const nextOrder = orderStream({ seed: 11, runId: 'screening' });
  const orders = Array.from({ length: ORDERS }, () => nextOrder());
  const profiles = orders.map((order) => profileFor(order.customerId));
  const engine = createBaselineEngine();
  const { mismatches, fired } = await compare(engine, orders, profiles); // also the warm-up of both engines

  const validated = orders.map((order) => validateOrderBody(order, receivedAt).value);
  const contenders = [
    ['ours: validation + signals + score', (i) => screenOurs(orders[i], profiles[i])],
    [
      'ours: signals + score (order already validated)',
      (i) => screenWithRules({ order: validated[i], profile: profiles[i], velocity: NO_VELOCITY, receivedAt, settings: DEFAULT_SCREENING_SETTINGS }),
    ],
    ['json-rules-engine 7.3: the seven original rules + score', (i) => screenBaseline(engine, orders[i], profiles[i])],
  ];
  const rounds = contenders.map(() => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [index, [, screen]] of contenders.entries()) rounds[index].push(await timeRound(orders.length, screen));
  }
  const results = contenders.map(([label], index) => ({
    label,
    ordersPerSecond: median(rounds[index].map((run) => run.ordersPerSecond)),
    microsPerOrder: median(rounds[index].map((run) => run.microsPerOrder)),
  }));
  const baseline = results[2];
  const firedList = [...fired.entries()].sort((a, b) => b[1] - a[1]).map(([code, count]) => `${code} ${count}`).join(', ');
  const section = [
    '<!-- bench:screening:start -->',
    measuredLine('npm run bench:screening'),
    `(${ORDERS.toLocaleString('en-US')} distinct generated orders, one at a time, ${ROUNDS} rounds alternating the engines, median round shown; the machine is shared with other work, so figures are noisy).`,
    '',
    '| engine | orders/s | µs/order | vs json-rules-engine |',
    '|---|---|---|---|',
    ...results.map((result) => `| ${result.label} | ${Math.round(result.ordersPerSecond).toLocaleString('en-US')} | ${result.microsPerOrder.toFixed(1)} | ${(result.ordersPerSecond / baseline.ordersPerSecond).toFixed(1)}× |`),
    '',
    `Agreement on the seven original rules, order by order: ${mismatches.firing} orders with different signals firing, ${mismatches.points} with different points, ${mismatches.decision} with a different decision (of ${ORDERS.toLocaleString('en-US')}).`,
    `Signals fired (ours): ${firedList}.`,
    '<!-- bench:screening:end -->',
  ].join('\n');
  writeSection(section);
  console.log(section);
  if (mismatches.firing + mismatches.points + mismatches.decision > 0) {
    console.error('the engines disagree; first differences:', JSON.stringify(mismatches.examples, null, 2));
    process.exitCode = 1;
  }
}

/** Replaces this bench's marked section of docs/performance.md (re-read right before writing), or appends it. */
function writeSection(section) {
  writeDocSection('screening', section, { heading: 'Screening alone, in-process', intro: SCREENING_INTRO });
}

const SCREENING_INTRO = [
  'Orders scored per second by the fraud engine with no I/O, against the seven original rules of the Java system',
  '(email, order value, quantity, address, product, customer history, timing) written for json-rules-engine, the',
  'popular rules library, with the same thresholds, points and helper predicates (`bench/screening.mjs`). Both get',
  'the same orders and the same fixed customer-history snapshot; the velocity rules see no activity.',
].join('\n');

await main();
