import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { startEngine, type Engine } from '../../../src/roles/engine.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog } from '../../helpers/engine.js';
import { signIn } from '../../helpers/api.js';
import { hostileJson, hostileString } from '../../helpers/fuzz.js';

const t = useTestRedis();
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
let engine: Engine;
let app: FastifyInstance;
let cookie = '';

beforeAll(async () => {
  engine = await startEngine({ config: testConfig({ ENGINE_ROLE: 'api', REDIS_URL: t.server.url, QUEUE_PREFIX: freshPrefix(), ADMIN_PASSWORD: 'fuzz-admin-password', API_RATE_LIMIT_PER_MIN: '1000000', LOGIN_RATE_LIMIT: '100000' }), log: silentLog });
  app = engine.app!;
  cookie = await signIn(app, 'admin', 'fuzz-admin-password');
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

/** Every route with a body or parameters, as method and path template (`:x` is filled by the fuzzer). */
const ROUTES: [InjectOptions['method'], string][] = [
  ['POST', '/auth/login'],
  ['GET', '/incidents'],
  ['GET', '/incidents/:x'],
  ['GET', '/incidents/:x/posts'],
  ['POST', '/incidents/:x/actions'],
  ['POST', '/incidents/actions'],
  ['GET', '/bodies'],
  ['GET', '/topics'],
  ['GET', '/search'],
  ['GET', '/search/export.csv'],
  ['GET', '/trends'],
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

const request = fc.record({
  route: fc.constantFrom(...ROUTES),
  param: fc.oneof(hostileString(), fc.constantFrom('%ff%fe', '%E0%A4%A', '%', '..%2f..%2f', '%00')),
  query: fc.dictionary(fc.oneof(fc.constantFrom('page', 'size', 'q', 'status', 'topic', 'from', 'to', 'month', 'quarter', 'format', 'sort', '__proto__', 'constructor'), fc.string()), fc.oneof(hostileString(), fc.array(fc.string(), { maxLength: 60 })), { maxKeys: 5 }),
  body: fc.oneof(hostileJson().map((j) => JSON.stringify(j)), fc.string({ unit: 'binary' }), fc.constant('{"action":'), fc.constant(undefined)),
  contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', undefined),
});

describe('the API under hostile requests', () => {
  it('thousands of generated malformed requests: never a 5xx, always a typed error, nothing polluted', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const [method, template] = r.route;
        // Byte by byte, so lone surrogates and raw % sequences (invalid UTF-8, bad escapes) reach the server as they are.
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
        seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode, `${method} ${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json<{ error: { code: string } }>().error.code).toMatch(/^[A-Z_]+$|^FST_/);
      }),
      { numRuns: RUNS },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    // Mostly refusals, as it should be: the fuzzer rarely writes a valid request.
    expect([...seen.keys()].some((s) => s >= 400)).toBe(true);
    // The admin is still signed in and the engine still answers.
    expect((await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode).toBe(200);
  }, 300_000);
});
