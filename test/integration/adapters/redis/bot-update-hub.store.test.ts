import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisBotUpdateHub } from '../../../../src/adapters/redis/bot-update-hub.store.js';
import { RedisKeys } from '../../../../src/adapters/redis/keys.js';
import { botUpdateHubConformance } from '../../../helpers/bot-update-hub-conformance.js';
import { freshPrefix, useTestRedis } from '../../../helpers/redis.js';

const t = useTestRedis();

botUpdateHubConformance('redis', () => new RedisBotUpdateHub(t.redis, new RedisKeys(freshPrefix())));

describe('bot update hub in Redis', () => {
  it('two processes (two connections) on one bot: only one reads at a time, and what it read survives it', async () => {
    const keys = new RedisKeys(freshPrefix());
    const other = new Redis(t.server.url);
    try {
      const a = new RedisBotUpdateHub(t.redis, keys);
      const b = new RedisBotUpdateHub(other, keys);
      await a.subscribe('bot', 's1');
      await b.subscribe('bot', 's2');
      let release!: () => void;
      const reading = a.readExclusive('bot', 10_000, () => new Promise((r) => (release = () => r({ updates: [{ update_id: 7 }], nextOffset: 8 }))));
      await new Promise((r) => setTimeout(r, 30));
      expect(await b.readExclusive('bot', 10_000, async () => ({ updates: [], nextOffset: 1 }))).toBe(false);
      release();
      expect(await reading).toBe(true);
      // A new process (a fresh hub on the same Redis) finds both inboxes and the offset.
      const c = new RedisBotUpdateHub(other, keys);
      expect((await c.inbox('bot', 's1', '', 10)).map((e) => e.update)).toEqual([{ update_id: 7 }]);
      expect((await c.inbox('bot', 's2', '', 10)).map((e) => e.update)).toEqual([{ update_id: 7 }]);
      let seen: number | undefined;
      await c.readExclusive('bot', 10_000, async (offset) => ((seen = offset), { updates: [], nextOffset: 8 }));
      expect(seen).toBe(8);
    } finally {
      await other.quit();
    }
  });

  it('a reader whose hold lapsed delivers nothing and does not move the offset: the updates are read again', async () => {
    const keys = new RedisKeys(freshPrefix());
    const hub = new RedisBotUpdateHub(t.redis, keys);
    await hub.subscribe('bot', 's');
    const lapsed = await hub.readExclusive('bot', 50, async () => {
      await new Promise((r) => setTimeout(r, 120));
      // Meanwhile another reader took the bot.
      await t.redis.set(keys.botLock('bot'), 'someone-else', 'PX', 10_000);
      return { updates: [{ update_id: 1 }], nextOffset: 2 };
    });
    expect(lapsed).toBe(false);
    expect(await hub.inbox('bot', 's', '', 10)).toEqual([]);
    expect(await t.redis.get(keys.botOffset('bot'))).toBeNull();
    expect(await t.redis.get(keys.botLock('bot'))).toBe('someone-else');
  });

  it('a source that has not polled for a week gets no more updates; keys carry no token', async () => {
    let now = Date.parse('2026-11-01T00:00:00Z');
    const keys = new RedisKeys(freshPrefix());
    const hub = new RedisBotUpdateHub(t.redis, keys, () => now);
    await hub.subscribe('bot', 'gone');
    now += 8 * 86_400_000;
    await hub.subscribe('bot', 'live');
    await hub.readExclusive('bot', 10_000, async () => ({ updates: [{ update_id: 1 }], nextOffset: 2 }));
    expect(await hub.inbox('bot', 'gone', '', 10)).toEqual([]);
    expect(await hub.inbox('bot', 'live', '', 10)).toHaveLength(1);
  });

  it('links expire with their TTL', async () => {
    const hub = new RedisBotUpdateHub(t.redis, new RedisKeys(freshPrefix()));
    await hub.link('bot', 'a', 'b', 1);
    expect((await hub.linked('bot', ['a'])).get('a')).toBe('b');
    await new Promise((r) => setTimeout(r, 1200));
    expect((await hub.linked('bot', ['a'])).size).toBe(0);
  });
});
