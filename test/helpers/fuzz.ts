import fc from 'fast-check';

/** Keys that attack object handling: prototype pollution, odd Unicode, empty. */
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', '', 'id\u0000', '\u202eid', 'ид', 'text'];

/** Strings that break naive code: lone surrogates, controls, very long, markup, SQL/FTS syntax. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.constantFrom('\ud800', '\udfff\ud800', '\u0000', '<script>alert(1)</script>', "' OR 1=1 --", 'NEAR(a b)', '../../etc/passwd', '%00', '9'.repeat(400), '1e309', '-0', 'NaN'),
    fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.repeat(2000)),
  );

/** Any JSON-ish value, with hostile keys and strings, numbers at the edges and deep nesting. */
export function hostileJson(): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(hostileString(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 0, 2 ** 53));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string()), tie('value'), { maxKeys: 6 }),
  }));
  return fc.oneof(value, fc.integer({ min: 50, max: 3000 }).map((depth) => nest(depth)));
}

function nest(depth: number): unknown {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** A valid value with one field somewhere replaced, removed or given a hostile key. */
export function mutate(valid: unknown): fc.Arbitrary<unknown> {
  const paths = leafPaths(valid);
  return fc.tuple(fc.constantFrom(...paths), fc.oneof(hostileJson(), fc.constant(undefined)), fc.constantFrom(...HOSTILE_KEYS)).map(([path, replacement, key]) => {
    const copy = structuredClone(valid) as Record<string, unknown>;
    let node: Record<string, unknown> = copy;
    for (const p of path.slice(0, -1)) node = node[p] as Record<string, unknown>;
    const last = path.at(-1);
    if (last === undefined) return replacement;
    if (replacement === undefined) delete node[last];
    else node[last] = replacement;
    // Sometimes add a field with a hostile key beside it (defined as data, not through the setter).
    Object.defineProperty(node, key, { value: replacement ?? 1, enumerable: true, configurable: true, writable: true });
    return copy;
  });
}

function leafPaths(v: unknown, at: string[] = []): string[][] {
  if (v === null || typeof v !== 'object') return [at];
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return [at];
  return [at, ...entries.flatMap(([k, c]) => leafPaths(c, [...at, k]))].slice(0, 400);
}
