import { MAX_ANSWER_CHARS, MAX_ITEM_CHARS, MAX_LIST_ITEMS, MAX_REASONING_CHARS, parseAiVerdict, type ParsedAiVerdict } from './verdict.js';

const CLEAN = `{"score": 6.5, "risk_level": "MEDIUM", "decision": "PENDING_REVIEW", "confidence": 0.72, "fraud_indicators": ["new customer", "high value electronics"], "reasoning": "Plausible order but large for a first purchase.", "recommendations": ["verify phone number"]}`;

const CLEAN_VERDICT: ParsedAiVerdict = {
  score: 6.5,
  riskLevel: 'MEDIUM',
  decision: 'PENDING_REVIEW',
  confidence: 0.72,
  fraudIndicators: ['new customer', 'high value electronics'],
  reasoning: 'Plausible order but large for a first purchase.',
  recommendations: ['verify phone number'],
};

function ok(text: string): ParsedAiVerdict {
  const result = parseAiVerdict(text);
  if (!result.ok) throw new Error(`expected a verdict, got: ${result.reason}`);
  return result.verdict;
}

function reason(text: string): string {
  const result = parseAiVerdict(text);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.verdict)}`);
  return result.reason;
}

describe('parseAiVerdict: answers that are used', () => {
  it('reads clean JSON', () => {
    expect(ok(CLEAN)).toEqual(CLEAN_VERDICT);
  });

  it('reads a ```json fenced block (Nova and Llama habit)', () => {
    expect(ok('```json\n' + CLEAN + '\n```')).toEqual(CLEAN_VERDICT);
  });

  it('reads a bare ``` fence with prose before and after', () => {
    const answer = `Here is my analysis of the order:\n\n\`\`\`\n${CLEAN}\n\`\`\`\n\nLet me know if you need anything else.`;
    expect(ok(answer)).toEqual(CLEAN_VERDICT);
  });

  it('reads JSON embedded in prose without fences, braces inside strings included', () => {
    const answer = `Sure! Based on the signals, {"score": 3, "risk_level": "high", "decision": "rejected", "confidence": 0.9, "fraud_indicators": ["address {placeholder}"], "reasoning": "Uses } in text", "recommendations": []} Hope this helps.`;
    expect(ok(answer)).toMatchObject({ score: 3, riskLevel: 'HIGH', decision: 'REJECTED', fraudIndicators: ['address {placeholder}'], reasoning: 'Uses } in text' });
  });

  it('skips an example object in prose and takes the verdict after it', () => {
    const answer = 'The format {"example": true} is requested. My verdict: {"score": 8.2, "decision": "APPROVED", "confidence": 0.8}';
    expect(ok(answer)).toMatchObject({ score: 8.2, decision: 'APPROVED', confidence: 0.8 });
  });

  it('forgives trailing commas outside strings, but keeps ", }" inside strings', () => {
    const answer = '{"score": 7.4, "decision": "APPROVED", "confidence": 0.6, "fraud_indicators": ["a, ]",], "reasoning": "fine, }",}';
    expect(ok(answer)).toMatchObject({ score: 7.4, fraudIndicators: ['a, ]'], reasoning: 'fine, }' });
  });

  it('accepts numeric strings, camelCase keys and decision spellings', () => {
    expect(ok('{"score": "5", "decision": "pending review", "confidence": "0.5", "fraudIndicators": ["x"], "riskLevel": "low"}')).toMatchObject({
      score: 5,
      decision: 'PENDING_REVIEW',
      confidence: 0.5,
      fraudIndicators: ['x'],
      riskLevel: 'LOW',
    });
    expect(ok('{"score": 9, "decision": "Approve", "confidence": 1}').decision).toBe('APPROVED');
    expect(ok('{"score": 1, "decision": "REJECT", "confidence": 0}').decision).toBe('REJECTED');
    expect(ok('{"score": 5, "decision": "manual-review", "confidence": 0.3}').decision).toBe('PENDING_REVIEW');
  });

  it('defaults the optional fields and rounds the score to one decimal', () => {
    expect(ok('{"score": 6.66, "decision": "PENDING_REVIEW", "confidence": 0.4}')).toEqual({
      score: 6.7,
      riskLevel: null,
      decision: 'PENDING_REVIEW',
      confidence: 0.4,
      fraudIndicators: [],
      reasoning: '',
      recommendations: [],
    });
  });

  it('accepts the edges of both scales', () => {
    expect(ok('{"score": 0, "decision": "REJECTED", "confidence": 0}')).toMatchObject({ score: 0, confidence: 0 });
    expect(ok('{"score": 10, "decision": "APPROVED", "confidence": 1}')).toMatchObject({ score: 10, confidence: 1 });
  });

  it('caps list lengths and string lengths', () => {
    const indicators = Array.from({ length: 25 }, (_, i) => `indicator ${i} ${'x'.repeat(500)}`);
    const verdict = ok(JSON.stringify({ score: 2, decision: 'REJECTED', confidence: 0.9, fraud_indicators: indicators, reasoning: 'r'.repeat(5000) }));
    expect(verdict.fraudIndicators).toHaveLength(MAX_LIST_ITEMS);
    expect(verdict.fraudIndicators.every((item) => item.length === MAX_ITEM_CHARS && item.endsWith('…'))).toBe(true);
    expect(verdict.reasoning).toHaveLength(MAX_REASONING_CHARS);
  });
});

describe('parseAiVerdict: answers that are refused', () => {
  it.each([
    ['an empty answer', '', 'empty answer'],
    ['whitespace', '   \n ', 'empty answer'],
    ['prose only', 'I cannot help with that request.', 'no JSON object in the answer'],
    ['a JSON array (its inner object is still not a verdict)', '[{"score": 5}]', 'missing confidence'],
    ['truncated JSON (max_tokens hit)', '{"score": 6, "decision": "PENDING_REVIEW", "confidence": 0.7, "reasoning": "The order', 'no JSON object in the answer'],
    ['single-quoted pseudo JSON', "{'score': 6, 'decision': 'APPROVED', 'confidence': 0.7}", 'no JSON object in the answer'],
  ])('%s', (_label, text, expected) => {
    expect(reason(text)).toBe(expected);
  });

  it.each([
    ['a score on a percentage scale', '{"score": 85, "decision": "APPROVED", "confidence": 0.9}', 'score 85 is outside 0-10'],
    ['a negative score', '{"score": -1, "decision": "REJECTED", "confidence": 0.9}', 'score -1 is outside 0-10'],
    ['a confidence in percent', '{"score": 6, "decision": "PENDING_REVIEW", "confidence": 80}', 'confidence 80 is outside 0-1'],
    ['a missing score', '{"decision": "APPROVED", "confidence": 0.9}', 'missing score'],
    ['a missing confidence', '{"score": 7, "decision": "APPROVED"}', 'missing confidence'],
    ['a missing decision', '{"score": 7, "confidence": 0.5}', 'missing decision'],
    ['an unknown decision', '{"score": 7, "decision": "MAYBE", "confidence": 0.5}', 'unknown decision "MAYBE"'],
    ['a score that is words', '{"score": "high", "decision": "APPROVED", "confidence": 0.5}', 'score is not a number'],
    ['a boolean confidence', '{"score": 7, "decision": "APPROVED", "confidence": true}', 'confidence is not a number'],
    ['indicators as a string', '{"score": 7, "decision": "APPROVED", "confidence": 0.5, "fraud_indicators": "none"}', 'fraud_indicators is not a list of strings'],
    ['indicators with objects', '{"score": 7, "decision": "APPROVED", "confidence": 0.5, "fraud_indicators": [{"x": 1}]}', 'fraud_indicators is not a list of strings'],
    ['reasoning as an object', '{"score": 7, "decision": "APPROVED", "confidence": 0.5, "reasoning": {"a": 1}}', 'reasoning is not a string'],
    ['risk level as a number', '{"score": 7, "decision": "APPROVED", "confidence": 0.5, "risk_level": 3}', 'risk_level is not a string'],
  ])('%s', (_label, text, expected) => {
    expect(reason(text)).toBe(expected);
  });

  it('refuses an answer longer than the cap before parsing it', () => {
    const huge = `{"score": 5, "decision": "APPROVED", "confidence": 0.5, "reasoning": "${'a'.repeat(MAX_ANSWER_CHARS)}"}`;
    expect(reason(huge)).toBe(`answer longer than ${MAX_ANSWER_CHARS} characters`);
  });

  it('reports the first problem of a fenced answer with an out-of-range score', () => {
    expect(reason('```json\n{"score": 11, "decision": "APPROVED", "confidence": 0.9}\n```')).toBe('score 11 is outside 0-10');
  });
});
