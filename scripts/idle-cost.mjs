#!/usr/bin/env node
/**
 * `npm run docs:idle-cost`: writes the monthly cost of the idle AWS stack into docs/deploy.md,
 * between `<!-- idle-cost:start -->` and `<!-- idle-cost:end -->`, from the price catalog
 * (lambda-order-processor/src/domain/costs/idle-stack.ts, built code: the npm script builds first).
 * lambda-order-processor/test/infrastructure/deploy-doc.test.ts fails when the table is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { idleCostMarkdown } from '../lambda-order-processor/dist/domain/costs/idle-stack.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOC = path.join(ROOT, 'docs/deploy.md');
const START = '<!-- idle-cost:start -->';
const END = '<!-- idle-cost:end -->';

const text = readFileSync(DOC, 'utf8');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < start) {
  console.error(`${DOC}: expected ${START} followed by ${END}`);
  process.exit(1);
}
const updated = `${text.slice(0, start + START.length)}\n${idleCostMarkdown()}\n${text.slice(end)}`;
if (updated === text) {
  console.log('docs/deploy.md: idle-stack cost table already current');
} else {
  writeFileSync(DOC, updated);
  console.log('docs/deploy.md: idle-stack cost table updated');
}
