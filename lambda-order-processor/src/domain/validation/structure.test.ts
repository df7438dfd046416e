import { screenJsonStructure } from './structure.js';

describe('screenJsonStructure', () => {
  it('passes primitives and ordinary bodies', () => {
    expect(screenJsonStructure(null)).toEqual([]);
    expect(screenJsonStructure('__proto__')).toEqual([]);
    expect(screenJsonStructure({ a: [{ b: { c: 'constructor' } }], prototypes: 1, proto: 2 })).toEqual([]);
  });

  it('reports every forbidden key in document order and does not look inside them', () => {
    const parsed: unknown = JSON.parse('{"a":{"constructor":{"__proto__":1}},"b":[{"x":1},{"prototype":2}],"__proto__":3}');
    expect(screenJsonStructure(parsed)).toEqual([
      { field: 'a.constructor', message: 'is a forbidden key' },
      { field: 'b[1].prototype', message: 'is a forbidden key' },
      { field: '__proto__', message: 'is a forbidden key' },
    ]);
  });

  it('counts the body as level 1 and allows 8 levels', () => {
    expect(screenJsonStructure(JSON.parse('{"a":[[[[[[[1]]]]]]]}'))).toEqual([]);
    expect(screenJsonStructure(JSON.parse('{"a":{"b":[{"c":[[[{}]]]}]}}'))).toEqual([]);
    expect(screenJsonStructure(JSON.parse('{"a":[[[[[[[[1]]]]]]]]}'))).toEqual([
      { field: 'a[0][0][0][0][0][0][0]', message: 'must not be nested more than 8 levels deep' },
    ]);
    expect(screenJsonStructure(JSON.parse('{"a":{"b":[{"c":[[[[{}]]]]}]}}'))).toEqual([
      { field: 'a.b[0].c[0][0][0][0]', message: 'must not be nested more than 8 levels deep' },
    ]);
  });

  it('stops at the depth limit, so 30,000 levels are screened quickly and without recursion', () => {
    const levels = 30_000;
    const parsed: unknown = JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);
    const started = performance.now();
    expect(screenJsonStructure(parsed)).toEqual([{ field: 'a.a.a.a.a.a.a.a', message: 'must not be nested more than 8 levels deep' }]);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
