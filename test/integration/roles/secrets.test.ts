import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { startEngine } from '../../../src/roles/engine.js';
import { createLogger } from '../../../src/log.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, waitForCounts } from '../../helpers/engine.js';
import { FakeVk, VK_TOKEN } from '../../fixtures/vk.js';
import { failures } from '../../fixtures/http.js';
import { as, signIn } from '../../helpers/api.js';

const t = useTestRedis();

/** Real-looking secrets of every kind the engine holds. */
const SECRETS = {
  VK_TOKEN,
  TELEGRAM_BOT_TOKEN: '7730291455:AAFixtureBotTokenQwErTy0123456789abcd',
  WEBHOOK_SECRET: 'whsec_fixture_2b7e151628aed2a6abf71588',
  API_KEYS: 'prom-scrape-key-5f4dcc3b5aa765d61d83',
  ADMIN_PASSWORD: 'Adm1n-fixture-passphrase!',
  REPLY_CREDENTIALS: 'CITY_VK=vk1.a.fixture-reply-token-0f0e0d0c0b0a',
};
const NEEDLES = [...Object.values(SECRETS), 'vk1.a.fixture-reply-token-0f0e0d0c0b0a'];

/** Every value under a key prefix, whatever its type, as text. */
async function dumpRedis(redis: Redis, prefix: string): Promise<string> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === 'string') out.push(String(await redis.get(key)));
      else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
  return out.join('\n');
}

describe('secrets never leave the engine', () => {
  it('a full scenario with real-looking tokens and failures: no secret in any log line, API answer, error or Redis value', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger({ LOG_LEVEL: 'trace' }, sink);
    const vk = new FakeVk();
    for (let i = 1; i <= 20; i++) vk.publish(-77, i, `Яма на дороге номер ${i}, колёса пробиты, ужас`);
    const sources = join(mkdtempSync(join(tmpdir(), 'otklik-sources-')), 'sources.json');
    writeFileSync(sources, JSON.stringify({ sources: [{ id: 'city', type: 'vk-wall', territory: 'г. Энск', pollIntervalMs: 150, options: { ownerId: -77 } }] }));
    const prefix = freshPrefix();
    const config = testConfig({
      ...SECRETS,
      LOG_LEVEL: 'trace',
      REDIS_URL: t.server.url,
      QUEUE_PREFIX: prefix,
      SOURCES_FILE: sources,
      // Notifications go to a Telegram that refuses connections: delivery errors get logged.
      TELEGRAM_API_URL: 'http://127.0.0.1:9',
      MODERATORS_TELEGRAM_CHAT_ID: '-1001000000001',
      MODERATORS_WEBHOOK_URL: 'http://127.0.0.1:9/hook?token=not-a-secret-of-ours',
      NOTIFY_TIMEOUT_MS: '300',
    });
    const engine = await startEngine({ config, log, http: vk.http });
    try {
      await waitForCounts(t.redis, prefix, (c) => c.completed >= 20, 60_000);
      // Faults on the platform side: a truncated answer, then refused credentials (the answer echoes request params).
      vk.origin.failNext(failures.truncated('{"response":{"count":1,"items":[{"id":21,"te'));
      vk.publish(-77, 21, 'Ещё одна яма');
      await sleep(600);
      vk.failNextWith(5, 'User authorization failed: invalid access_token');
      await sleep(600);

      const app = engine.app!;
      const admin = as(app, { cookie: await signIn(app, 'admin', SECRETS.ADMIN_PASSWORD) });
      const bearer = as(app, { bearer: SECRETS.API_KEYS });
      const answers: string[] = [];
      const keep = async (p: Promise<{ body: string; headers: Record<string, unknown> }>) => {
        const r = await p;
        answers.push(r.body, JSON.stringify(r.headers));
      };
      const alerts = (await admin.get('/incidents?status=alert&size=5')).json<{ items: { id: string; version: number }[] }>().items;
      expect(alerts.length).toBeGreaterThan(0);
      await keep(admin.patch('/notifications/targets/city-roads', { telegramChatId: '-1001000000002', webhookUrl: 'http://127.0.0.1:9/roads' }));
      for (const a of alerts) await keep(admin.post(`/incidents/${a.id}/actions`, { action: { type: 'accept', bodyId: 'city-roads' }, expectedVersion: a.version }));
      // Let the notifications fail a few times.
      await sleep(1500);
      for (const url of ['/health', '/metrics', '/sources', '/docs/json', '/routing', '/notifications/targets', '/users', '/api-keys', '/queues/api/queues', '/incidents?status=open', '/nope', '/search?q=(', '/queues/api/queues?activeQueue=deadletter&status=waiting', '/queues/api/queues?activeQueue=notify&status=failed']) {
        await keep(admin.get(url));
        await keep(bearer.get(url));
      }
      await keep(app.inject({ method: 'POST', url: '/auth/login', payload: { login: 'admin', password: `${SECRETS.ADMIN_PASSWORD}x` } }));
      await keep(app.inject({ method: 'GET', url: '/health', headers: { authorization: `Bearer ${SECRETS.API_KEYS}x` } }));

      const everything = [lines.join(''), answers.join('\n'), await dumpRedis(t.redis, prefix)].join('\n');
      // The scenario did what it should: failures were logged, notifications attempted.
      expect(lines.some((l) => l.includes('"code":"PLATFORM_AUTH'))).toBe(true);
      expect(lines.some((l) => /notif|deliver/.test(l) && /"level":(40|50)/.test(l))).toBe(true);
      expect(everything).toContain('-1001000000002');
      for (const secret of NEEDLES) {
        const at = everything.indexOf(secret);
        expect(at, `secret found: …${everything.slice(Math.max(0, at - 200), at + 60)}…`).toBe(-1);
      }
      // A receiver's path and query (often its token) reach no log line and no answer, the queue dashboard's job data included.
      const shown = [lines.join(''), answers.join('\n')].join('\n');
      for (const part of ['token=not-a-secret-of-ours', '127.0.0.1:9/roads', '127.0.0.1:9/hook']) {
        const at = shown.indexOf(part);
        expect(at, `receiver shown: …${shown.slice(Math.max(0, at - 200), at + 60)}…`).toBe(-1);
      }
    } finally {
      await engine.stop();
    }
  }, 120_000);
});
