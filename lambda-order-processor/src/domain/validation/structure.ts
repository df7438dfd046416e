import { indexPath, propertyPath } from './field-error.js';
import type { FieldError } from './field-error.js';
import { MAX_NESTING_DEPTH } from './limits.js';

/** Keys that could reach Object.prototype through a careless merge; refused anywhere in a body. */
const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

interface PendingNode {
  value: object;
  path: string;
  depth: number;
  /** Set for a forbidden key: reported when popped, so errors follow document order; never entered. */
  forbidden?: true;
}

/**
 * Screens a parsed JSON value before anything copies or validates it: keys that could reach
 * Object.prototype (JSON.parse keeps "__proto__" as an own key, and Object.assign would then
 * replace the target's prototype) and nesting deeper than MAX_NESTING_DEPTH. Walks with an
 * explicit stack, so hostile nesting cannot exhaust the call stack, and never descends past the
 * depth limit. Errors come in document order.
 */
export function screenJsonStructure(root: unknown): FieldError[] {
  if (typeof root !== 'object' || root === null) return [];
  const errors: FieldError[] = [];
  const stack: PendingNode[] = [{ value: root, path: '', depth: 1 }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.forbidden) {
      errors.push({ field: node.path, message: 'is a forbidden key' });
      continue;
    }
    if (node.depth > MAX_NESTING_DEPTH) {
      errors.push({ field: node.path, message: `must not be nested more than ${MAX_NESTING_DEPTH} levels deep` });
      continue;
    }
    const children: PendingNode[] = [];
    const depth = node.depth + 1;
    if (Array.isArray(node.value)) {
      const elements: unknown[] = node.value;
      for (let index = 0; index < elements.length; index++) {
        const child = elements[index];
        if (typeof child === 'object' && child !== null) children.push({ value: child, path: indexPath(node.path, index), depth });
      }
    } else {
      const record = node.value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const path = propertyPath(node.path, key);
        if (FORBIDDEN_KEYS.includes(key)) {
          children.push({ value: record, path, depth, forbidden: true });
          continue;
        }
        const child = record[key];
        if (typeof child === 'object' && child !== null) children.push({ value: child, path, depth });
      }
    }
    // Pushed last-first so the first child is visited next: depth-first, in document order.
    for (const child of children.reverse()) stack.push(child);
  }
  return errors;
}
