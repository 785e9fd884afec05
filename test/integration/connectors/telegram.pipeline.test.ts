import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MockAgent } from 'undici';
import { startEngine } from '../../../src/roles/engine.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';

const t = useTestRedis();
const TOKEN = '7312345678:AAH-integration_test_token_abcdef';
const API = 'https://api.telegram.org';
const channel = { id: -1001734567890, title: 'Энск Онлайн', username: 'ensk_online', type: 'channel' };
const update = (id: number) => ({ update_id: id, channel_post: { message_id: 1000 + id, chat: channel, sender_chat: channel, date: 1763734000 + id, text: `Яма на дороге номер ${id}, ужас` } });

/** A Telegram that holds `total` updates and answers getUpdates by offset, in pages of `limit`. */
function fakeTelegram(total: number, offsets: number[], failFirst?: { status: number; body: unknown }) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  let failed = false;
  agent
    .get(API)
    .intercept({ path: `/bot${TOKEN}/getUpdates`, method: 'POST' })
    .reply((o) => {
      const body = JSON.parse(typeof o.body === 'string' ? o.body : '{}') as { offset?: number; limit: number };
      if (failFirst && !failed) {
        failed = true;
        return { statusCode: failFirst.status, data: failFirst.body as Record<string, unknown>, responseOptions: { headers: { 'content-type': 'application/json' } } };
      }
      const from = body.offset ?? 1;
      offsets.push(from);
      const result = [];
      for (let id = from; id <= total && result.length < body.limit; id++) result.push(update(id));
      return { statusCode: 200, data: { ok: true, result }, responseOptions: { headers: { 'content-type': 'application/json' } } };
    })
    .persist();
  return agent;
}

function sourcesFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'otklik-sources-')), 'sources.json');
  writeFileSync(path, JSON.stringify({ sources: [{ id: 'tg-city', type: 'telegram', territory: 'г. Энск', pollIntervalMs: 100, options: {} }] }));
  return path;
}

describe('Telegram through the real pipeline', () => {
  it('across a restart: no gap and no duplicate, and the offset only ever moves forward', async () => {
    const prefix = freshPrefix();
    const offsets: number[] = [];
    const config = testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, SOURCES_FILE: sourcesFile(), TELEGRAM_BOT_TOKEN: TOKEN, PIPELINE_BATCH_SIZE: '7' });
    // 40 updates the first time; the poll budget is 4 batches of 7 = 28 per page, so at least two pages.
    const first = await startEngine({ config, log: silentLog, http: fakeTelegram(40, offsets) });
    await waitForCounts(t.redis, prefix, (c) => c.completed >= 28);
    await first.stop();
    const keys = new RedisKeys(prefix);
    const cursor = JSON.parse((await t.redis.get(keys.cursor('tg-city'))) ?? '{}') as { offset: number };
    expect(cursor.offset).toBeGreaterThan(1);

    // Ten more arrive while the engine is down.
    const second = await startEngine({ config, log: silentLog, http: fakeTelegram(50, offsets) });
    try {
      const done = await waitForCounts(t.redis, prefix, (c) => c.completed >= 50);
      await sleep(500);
      expect(done).toMatchObject({ admitted: 50, completed: 50, deadLetters: 0 });
      for (let i = 1; i < offsets.length; i++) expect(offsets[i]).toBeGreaterThanOrEqual(offsets[i - 1] as number);
      expect(offsets[0]).toBe(1);
      const health = await second.app!.inject({ method: 'GET', url: '/health' });
      expect(health.json<{ sources: { sourceId: string; cursor: unknown; itemsSeen: number }[] }>().sources[0]).toMatchObject({ sourceId: 'tg-city', cursor: { offset: 51 } });
      // The token appears nowhere in what the API says.
      expect(health.body).not.toContain(TOKEN);
    } finally {
      await second.stop();
    }
  });

  it('429 with retry_after pauses the source for exactly that long, then it carries on', async () => {
    const prefix = freshPrefix();
    const offsets: number[] = [];
    const config = testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, SOURCES_FILE: sourcesFile(), TELEGRAM_BOT_TOKEN: TOKEN });
    const engine = await startEngine({ config, log: silentLog, http: fakeTelegram(3, offsets, { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } } }) });
    try {
      const keys = new RedisKeys(prefix);
      const paused = await (async () => {
        for (let i = 0; i < 50; i++) {
          const h = await t.redis.hgetall(keys.sourceHealth('tg-city'));
          if (h.pausedUntil) return h;
          await sleep(50);
        }
        return undefined;
      })();
      expect(paused?.pauseReason).toContain('429');
      expect(Date.parse(paused?.pausedUntil ?? '') - Date.now()).toBeGreaterThan(1000);
      expect(offsets).toEqual([]);
      await waitForCounts(t.redis, prefix, (c) => c.completed >= 3, 10_000);
      expect(await t.redis.hget(keys.sourceHealth('tg-city'), 'pausedUntil')).toBeNull();
    } finally {
      await engine.stop();
    }
  });

  it('refused credentials stop the source with an alert instead of retrying forever', async () => {
    const prefix = freshPrefix();
    const offsets: number[] = [];
    const config = testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, SOURCES_FILE: sourcesFile(), TELEGRAM_BOT_TOKEN: TOKEN });
    const agent = new MockAgent();
    agent.disableNetConnect();
    let calls = 0;
    agent
      .get(API)
      .intercept({ path: `/bot${TOKEN}/getUpdates`, method: 'POST' })
      .reply(() => {
        calls++;
        return { statusCode: 401, data: { ok: false, error_code: 401, description: 'Unauthorized' }, responseOptions: { headers: { 'content-type': 'application/json' } } };
      })
      .persist();
    const engine = await startEngine({ config, log: silentLog, http: agent });
    try {
      await sleep(1500);
      expect(calls).toBe(1);
      const h = await t.redis.hgetall(new RedisKeys(prefix).sourceHealth('tg-city'));
      expect(h.pauseReason).toContain('401 Unauthorized');
      expect(h['error:PLATFORM_AUTH_FAILED']).toBe('1');
      expect(offsets).toEqual([]);
    } finally {
      await engine.stop();
    }
  });
});
