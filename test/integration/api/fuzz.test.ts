import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { startEngine, type Engine } from '../../../src/roles/engine.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog } from '../../helpers/engine.js';
import { signIn } from '../../helpers/api.js';
import { hostileRequest, sendHostile } from '../../helpers/fuzz.js';

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

describe('the API under hostile requests', () => {
  it('thousands of generated malformed requests: never a 5xx, always a typed error, nothing polluted', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (r) => {
        const res = await sendHostile(app, r, cookie);
        seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode, `${res.label} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
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
