import { ORDER_STATUSES, type OrderStatus } from '../order/order.js';

/**
 * The AI analyst's answer, parsed defensively (SPEC section 3). Models wrap JSON in code fences,
 * add prose around it, leave trailing commas, answer on another scale or with the wrong types.
 *
 * Policy, strict but forgiving where it is safe:
 * - Accepted: the bare object; the first ```json fenced block; the first balanced {...} object in
 *   prose; trailing commas before } or ]; snake_case or camelCase keys; a numeric string for score
 *   or confidence ("7.5"); decision spelled in any case with spaces or hyphens ("pending review"),
 *   or the verbs APPROVE / REJECT / REVIEW.
 * - Rejected (unparsable): no JSON object; score outside 0-10 or confidence outside 0-1. These are
 *   NOT clamped: a score of 85 is a model answering on a percentage scale, and clamping it to 10
 *   would turn a misunderstanding into the safest possible verdict; a confidence of 80 likewise.
 *   Missing score, decision or confidence (what the decision uses); an unknown decision; a field of
 *   the wrong type (fraud_indicators that is not a list of strings, reasoning that is not a string).
 * - Optional with defaults: risk_level (null), fraud_indicators ([]), reasoning (''), recommendations ([]).
 * - Capped: the whole answer (MAX_ANSWER_CHARS, longer is refused before any parsing), the lists
 *   (MAX_LIST_ITEMS items, extra ones dropped) and every string (truncated with an ellipsis).
 */

export interface ParsedAiVerdict {
  /** 0-10, higher = safer, one decimal. */
  score: number;
  riskLevel: string | null;
  decision: OrderStatus;
  /** 0-1. */
  confidence: number;
  fraudIndicators: string[];
  reasoning: string;
  recommendations: string[];
}

export type ParseResult = { ok: true; verdict: ParsedAiVerdict } | { ok: false; reason: string };

export const MAX_ANSWER_CHARS = 32_000;
export const MAX_LIST_ITEMS = 10;
export const MAX_ITEM_CHARS = 200;
export const MAX_REASONING_CHARS = 1_000;
const MAX_RISK_LEVEL_CHARS = 32;

const DECISION_SYNONYMS: Readonly<Record<string, OrderStatus>> = {
  APPROVE: 'APPROVED',
  REJECT: 'REJECTED',
  REVIEW: 'PENDING_REVIEW',
  PENDING: 'PENDING_REVIEW',
  MANUAL_REVIEW: 'PENDING_REVIEW',
};

function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

function truncate(text: string, max: number): string {
  const trimmed = text.trim();
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, max - 1)}…`;
}

/** Index of the brace closing the object that opens at `start`, aware of strings; -1 if unbalanced. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Removes commas directly before } or ] outside strings (the one JSON slip models make often). */
function withoutTrailingCommas(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === ',') {
      const next = text.slice(i + 1).trimStart()[0];
      if (next === '}' || next === ']') continue;
    }
    out += ch;
  }
  return out;
}

function parseObject(candidate: string): Record<string, unknown> | null {
  for (const text of [candidate, withoutTrailingCommas(candidate)]) {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
      return null;
    } catch {
      // try the next form
    }
  }
  return null;
}

/** Candidate JSON texts in order of trust: the whole answer, fenced blocks, balanced objects in prose. */
function* candidates(text: string): Generator<string> {
  yield text.trim();
  for (const fence of text.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g)) {
    if (fence[1] !== undefined) yield fence[1].trim();
  }
  let from = text.indexOf('{');
  let attempts = 0;
  while (from !== -1 && attempts < 20) {
    attempts++;
    const end = closingBrace(text, from);
    if (end === -1) return;
    yield text.slice(from, end + 1);
    from = text.indexOf('{', end + 1);
  }
}

function field(object: Record<string, unknown>, snake: string, camel: string): unknown {
  return snake in object ? object[snake] : object[camel];
}

function numberIn(value: unknown, name: string, min: number, max: number): number | string {
  let number: number;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) number = Number(value);
  else if (value === undefined || value === null) return `missing ${name}`;
  else return `${name} is not a number`;
  if (!Number.isFinite(number)) return `${name} is not a finite number`;
  if (number < min || number > max) return `${name} ${number} is outside ${min}-${max}`;
  return number;
}

function stringList(value: unknown, name: string): string[] | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    return `${name} is not a list of strings`;
  }
  return value
    .map((item) => truncate(item, MAX_ITEM_CHARS))
    .filter((item) => item !== '')
    .slice(0, MAX_LIST_ITEMS);
}

function decisionOf(value: unknown): OrderStatus | null {
  if (typeof value !== 'string') return null;
  const normalised = value.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if ((ORDER_STATUSES as readonly string[]).includes(normalised)) return normalised as OrderStatus;
  return DECISION_SYNONYMS[normalised] ?? null;
}

function verdictFrom(object: Record<string, unknown>): ParseResult {
  const score = numberIn(object.score, 'score', 0, 10);
  if (typeof score === 'string') return fail(score);
  const confidence = numberIn(object.confidence, 'confidence', 0, 1);
  if (typeof confidence === 'string') return fail(confidence);
  const rawDecision = object.decision;
  if (rawDecision === undefined || rawDecision === null) return fail('missing decision');
  const decision = decisionOf(rawDecision);
  if (decision === null) return fail(`unknown decision ${JSON.stringify(rawDecision).slice(0, 40)}`);

  const rawRisk = field(object, 'risk_level', 'riskLevel');
  if (rawRisk !== undefined && rawRisk !== null && typeof rawRisk !== 'string') return fail('risk_level is not a string');
  const rawReasoning = object.reasoning;
  if (rawReasoning !== undefined && rawReasoning !== null && typeof rawReasoning !== 'string') {
    return fail('reasoning is not a string');
  }
  const fraudIndicators = stringList(field(object, 'fraud_indicators', 'fraudIndicators'), 'fraud_indicators');
  if (typeof fraudIndicators === 'string') return fail(fraudIndicators);
  const recommendations = stringList(object.recommendations, 'recommendations');
  if (typeof recommendations === 'string') return fail(recommendations);

  return {
    ok: true,
    verdict: {
      score: Math.round(score * 10) / 10,
      riskLevel: typeof rawRisk === 'string' && rawRisk.trim() !== '' ? truncate(rawRisk, MAX_RISK_LEVEL_CHARS).toUpperCase() : null,
      decision,
      confidence,
      fraudIndicators,
      reasoning: typeof rawReasoning === 'string' ? truncate(rawReasoning, MAX_REASONING_CHARS) : '',
      recommendations,
    },
  };
}

/** Parses a model's answer into a verdict, or says why it cannot be used. Never throws. */
export function parseAiVerdict(text: string): ParseResult {
  if (typeof text !== 'string' || text.trim() === '') return fail('empty answer');
  if (text.length > MAX_ANSWER_CHARS) return fail(`answer longer than ${MAX_ANSWER_CHARS} characters`);
  let firstProblem: string | null = null;
  for (const candidate of candidates(text)) {
    const object = parseObject(candidate);
    if (object === null) continue;
    const result = verdictFrom(object);
    if (result.ok) return result;
    // An object that is JSON but not a verdict (e.g. an example in prose) does not end the search.
    firstProblem ??= result.reason;
  }
  return fail(firstProblem ?? 'no JSON object in the answer');
}
