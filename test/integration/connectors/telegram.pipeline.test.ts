import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEngine } from '../../../src/roles/engine.js';
import { RedisKeys } from '../../../src/adapters/redis/keys.js';
import { useTestRedis, freshPrefix } from '../../helpers/redis.js';
import { testConfig, silentLog, waitForCounts } from '../../helpers/engine.js';
import { FakeTelegram, TG_TOKEN } from '../../fixtures/telegram.js';
import { botKey } from '../../../connectors/telegram/telegram.connector.js';

const t = useTestRedis();

/** A bot that administers one channel without a discussion group: one update per post. */
function telegram(posts: number): FakeTelegram {
  const tg = new FakeTelegram();
  tg.discussion = undefined;
  tg.me = { ...tg.me, can_read_all_group_messages: true };
  for (let i = 1; i <= posts; i++) tg.channelPost(1000 + i, `Яма на дороге номер ${i}, ужас`);
  return tg;
}

function sourcesFile(sources = [{ id: 'tg-city', type: 'telegram', territory: 'г. Энск', pollIntervalMs: 100, options: {} }]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'otklik-sources-')), 'sources.json');
  writeFileSync(path, JSON.stringify({ sources }));
  return path;
}

const offsetOf = async (prefix: string) => Number(await t.redis.get(new RedisKeys(prefix).botOffset(botKey(TG_TOKEN))));

describe('Telegram through the real pipeline', () => {
  it('across a restart: no gap and no duplicate, and the offset only ever moves forward', async () => {
    const prefix = freshPrefix();
    const config = testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, SOURCES_FILE: sourcesFile(), TELEGRAM_BOT_TOKEN: TG_TOKEN, PIPELINE_BATCH_SIZE: '7', API_KEYS: 'ops-key-0123456789abcdef' });
    const tg = telegram(40);
    // 40 updates; the poll budget is 4 batches of 7 = 28 items a page, so at least two pages.
    const first = await startEngine({ config, log: silentLog, http: tg.http });
    await waitForCounts(t.redis, prefix, (c) => c.completed >= 28);
    await first.stop();
    expect(await offsetOf(prefix)).toBeGreaterThan(1);

    // Ten more arrive while the engine is down.
    for (let i = 41; i <= 50; i++) tg.channelPost(1000 + i, `Яма на дороге номер ${i}, ужас`);
    const second = await startEngine({ config, log: silentLog, http: tg.http });
    try {
      const done = await waitForCounts(t.redis, prefix, (c) => c.completed >= 50);
      await sleep(500);
      expect(done).toMatchObject({ admitted: 50, completed: 50, deadLetters: 0 });
      for (let i = 1; i < tg.offsets.length; i++) expect(tg.offsets[i]).toBeGreaterThanOrEqual(tg.offsets[i - 1] as number);
      expect(await offsetOf(prefix)).toBe(51);
      const health = await second.app!.inject({ method: 'GET', url: '/health', headers: { authorization: 'Bearer ops-key-0123456789abcdef' } });
      expect(health.json<{ sources: { sourceId: string; cursor: unknown }[] }>().sources[0]).toMatchObject({ sourceId: 'tg-city', cursor: { inbox: expect.any(String) } });
      // The token appears nowhere in what the API says, nor in Redis keys.
      expect(health.body).not.toContain(TG_TOKEN);
      expect((await t.redis.keys(`${prefix}*`)).join(' ')).not.toContain(TG_TOKEN.split(':')[1]);
    } finally {
      await second.stop();
    }
  });

  it('two sources on one bot each take every post although Telegram confirms them to one reader', async () => {
    const prefix = freshPrefix();
    const sources = [
      { id: 'tg-city', type: 'telegram', territory: 'г. Энск', pollIntervalMs: 100, options: {} },
      { id: 'tg-region', type: 'telegram', territory: 'Энская область', pollIntervalMs: 150, options: {} },
    ];
    const config = testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, SOURCES_FILE: sourcesFile(sources), TELEGRAM_BOT_TOKEN: TG_TOKEN });
    const tg = telegram(0);
    const engine = await startEngine({ config, log: silentLog, http: tg.http });
    try {
      // Both sources have polled once (subscribed) before anything is posted.
      await sleep(600);
      for (let i = 1; i <= 12; i++) tg.channelPost(2000 + i, `Нет света в доме ${i}, третий день`);
      const keys = new RedisKeys(prefix);
      const seen = async (id: string) => Number((await t.redis.hget(keys.sourceHealth(id), 'itemsSeen')) ?? 0);
      // Telegram learns of the confirmation with the reader's next getUpdates (offset 13): wait for that too.
      for (let i = 0; i < 100 && ((await seen('tg-city')) < 12 || (await seen('tg-region')) < 12 || tg.confirmedBelow < 13); i++) await sleep(100);
      expect(await seen('tg-city')).toBe(12);
      expect(await seen('tg-region')).toBe(12);
      expect(tg.confirmedBelow).toBe(13);
    } finally {
      await engine.stop();
    }
  });

  it('429 with retry_after pauses the source for exactly that long, then it carries on', async () => {
    const prefix = freshPrefix();
    const config = testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, SOURCES_FILE: sourcesFile(), TELEGRAM_BOT_TOKEN: TG_TOKEN });
    const tg = telegram(3);
    tg.failMethod('getUpdates', 429, 'Too Many Requests: retry after 2', { retry_after: 2 });
    const engine = await startEngine({ config, log: silentLog, http: tg.http });
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
      expect(tg.offsets).toEqual([]);
      await waitForCounts(t.redis, prefix, (c) => c.completed >= 3, 10_000);
      expect(await t.redis.hget(keys.sourceHealth('tg-city'), 'pausedUntil')).toBeNull();
    } finally {
      await engine.stop();
    }
  });

  it('refused credentials stop the source with an alert instead of retrying forever', async () => {
    const prefix = freshPrefix();
    const config = testConfig({ REDIS_URL: t.server.url, QUEUE_PREFIX: prefix, SOURCES_FILE: sourcesFile(), TELEGRAM_BOT_TOKEN: '7312345678:AAH-some-revoked-token' });
    const tg = telegram(3);
    const engine = await startEngine({ config, log: silentLog, http: tg.http });
    try {
      await sleep(1500);
      expect(tg.origin.requests).toHaveLength(1);
      const h = await t.redis.hgetall(new RedisKeys(prefix).sourceHealth('tg-city'));
      expect(h.pauseReason).toContain('401 Unauthorized');
      expect(h['error:PLATFORM_AUTH_FAILED']).toBe('1');
      expect(tg.offsets).toEqual([]);
    } finally {
      await engine.stop();
    }
  });
});
