import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
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

/** Every route with a body or parameters, as method and path template (`:x` is filled by the fuzzer). */
export const ROUTES: [InjectOptions['method'], string][] = [
  ['POST', '/auth/login'],
  ['GET', '/incidents'],
  ['GET', '/incidents/:x'],
  ['GET', '/incidents/:x/posts'],
  ['GET', '/incidents/:x/similar'],
  ['POST', '/incidents/:x/actions'],
  ['POST', '/incidents/actions'],
  ['GET', '/bodies'],
  ['GET', '/topics'],
  ['GET', '/territories'],
  ['GET', '/open311/v2/services.json'],
  ['GET', '/open311/v2/requests.json'],
  ['GET', '/open311/v2/requests/:x.json'],
  ['GET', '/presets'],
  ['PUT', '/presets'],
  ['GET', '/search'],
  ['GET', '/search/export.csv'],
  ['GET', '/trends'],
  ['GET', '/spikes'],
  ['GET', '/aggregations/terms'],
  ['GET', '/reports/monthly'],
  ['GET', '/reports/quarterly'],
  ['POST', '/users'],
  ['PATCH', '/users/:x'],
  ['DELETE', '/users/:x'],
  ['POST', '/api-keys'],
  ['DELETE', '/api-keys/:x'],
  ['PUT', '/routing'],
  ['GET', '/notifications/targets/:x'],
  ['PATCH', '/notifications/targets/:x'],
  ['GET', '/queues/api/queues'],
];

/** A request the fuzzer makes up: a route, a hostile parameter, query, body and content type. */
export const hostileRequest = fc.record({
  route: fc.constantFrom(...ROUTES),
  param: fc.oneof(hostileString(), fc.constantFrom('%ff%fe', '%E0%A4%A', '%', '..%2f..%2f', '%00')),
  query: fc.dictionary(fc.oneof(fc.constantFrom('page', 'size', 'q', 'status', 'topic', 'from', 'to', 'month', 'quarter', 'format', 'sort', '__proto__', 'constructor'), fc.string()), fc.oneof(hostileString(), fc.array(fc.string(), { maxLength: 60 })), { maxKeys: 5 }),
  body: fc.oneof(hostileJson().map((j) => JSON.stringify(j)), fc.string({ unit: 'binary' }), fc.constant('{"action":'), fc.constant(undefined)),
  contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', undefined),
});


/** Sends a made-up request as it is (byte by byte, so lone surrogates and raw % sequences reach the server). */
export async function sendHostile(app: FastifyInstance, r: HostileRequest, cookie: string): Promise<LightMyRequestResponse & { label: string }> {
  const [method, template] = r.route;
  const part = /%/.test(r.param) ? r.param : [...Buffer.from(r.param, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  const url = template.replace(':x', part);
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(r.query)) for (const one of [v].flat()) qs.append(k, one);
  const res = await app.inject({
    method,
    url: qs.size > 0 ? `${url}?${qs.toString()}` : url,
    headers: { cookie, ...(r.contentType ? { 'content-type': r.contentType } : {}) },
    ...(r.body !== undefined && method !== 'GET' && method !== 'DELETE' ? { payload: r.body } : {}),
  });
  return Object.assign(res, { label: `${method ?? 'GET'} ${url}` });
}

export type HostileRequest = typeof hostileRequest extends fc.Arbitrary<infer T> ? T : never;
